package fr.aisne.hub.doubles.ouiform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.doubles.ouiform.Http.Answer;
import fr.aisne.hub.doubles.ouiform.Http.Call;

/**
 * The Région's side of the contract, whatever the binding: the accounts, the injected behaviour, the prescriptions
 * received and their life cycle, the status events sent back to the hub. SOAP ({@link SoapService}) and REST
 * ({@link RestApi}) hand it XML elements of the contract (REST JSON is first turned into the same XML by
 * {@link Shapes}) and get JSON objects of the contract back.
 * <p>
 * Checks of a prescription, in this order: the schema (REQUETE_INVALIDE), idPrescriptionHub already received
 * (DOUBLON, with the existing OuiForm id), nom / prenom / dateNaissance / commune missing (BENEFICIAIRE_INCOMPLET,
 * each named), idSession not in the catalogue (SESSION_INCONNUE), recruitment closed or suspended (SESSION_FERMEE).
 * <p>
 * Logs carry ids, statuses and codes, never a name, a date of birth, a password or a token.
 */
final class Region {
    private static final Logger LOG = LoggerFactory.getLogger(Region.class);
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter HORODATAGE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** A prescription received, with its history (the statuses, in order; the last one is the current). */
    static final class Dossier {
        final String idOuiForm;
        final String idHub;
        final String idSession;
        final Canal canal;
        final ObjectNode prescription;
        final Instant recuLe;
        private final List<ObjectNode> historique = new ArrayList<>();

        Dossier(String idOuiForm, String idHub, String idSession, Canal canal, ObjectNode prescription, Instant recuLe) {
            this.idOuiForm = idOuiForm;
            this.idHub = idHub;
            this.idSession = idSession;
            this.canal = canal;
            this.prescription = prescription;
            this.recuLe = recuLe;
        }

        synchronized Statut statut() {
            return Statut.parse(historique.get(historique.size() - 1).get("statut").asText());
        }

        synchronized ObjectNode dernier() {
            return historique.get(historique.size() - 1).deepCopy();
        }

        synchronized List<ObjectNode> historique() {
            return historique.stream().map(ObjectNode::deepCopy).toList();
        }

        synchronized void ajouter(ObjectNode entree) {
            historique.add(entree);
        }
    }

    private final Settings settings;
    private final Contract contract;
    private final Clock clock;
    private final Stats stats = new Stats();
    private final AtomicReference<Behaviour> behaviour;
    private final Catalogue catalogue;
    private final ScheduledExecutorService scheduler;
    private final Notifier notifier;
    private final Map<String, Dossier> byOuiForm = new ConcurrentHashMap<>();
    private final Map<String, Dossier> byHub = new ConcurrentHashMap<>();
    private final AtomicLong numbers = new AtomicLong();
    /** Scheduled status changes of an older generation (before a reset) do nothing. */
    private final AtomicLong generation = new AtomicLong();

    Region(Settings settings, Contract contract, Clock clock, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.contract = contract;
        this.clock = clock;
        this.scheduler = scheduler;
        this.behaviour = new AtomicReference<>(settings.behaviour());
        this.catalogue = Catalogue.aisne(LocalDate.now(clock.withZone(PARIS)));
        this.notifier = new Notifier(new HubClient(settings.hub(), contract), scheduler, stats);
    }

    Settings settings() {
        return settings;
    }

    Contract contract() {
        return contract;
    }

    Stats stats() {
        return stats;
    }

    Catalogue catalogue() {
        return catalogue;
    }

    Notifier notifier() {
        return notifier;
    }

    Behaviour behaviour() {
        return behaviour.get();
    }

    void behaviour(Behaviour b) {
        behaviour.set(b);
    }

    /** Forgets prescriptions, events and counters; the settings' behaviour is back; scheduled changes are dropped. */
    void reset() {
        generation.incrementAndGet();
        byOuiForm.clear();
        byHub.clear();
        notifier.clear();
        stats.clear();
        behaviour.set(settings.behaviour());
    }

    // ---------------------------------------------------------------------------------------------- gate

    /**
     * What every partner call goes through first, in this order: the injected latency, the injected outage (an HTTP
     * answer without any message of the contract for SOAP, {@code INDISPONIBLE} for REST), then the credentials
     * (not asked for the WSDL and its schemas). Null: go on.
     */
    Answer gate(Call call, boolean soap) {
        Behaviour b = behaviour.get();
        if (b.latencyMillis() > 0) {
            try {
                Thread.sleep(b.latencyMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (b.outage()) {
            stats.count(Stats.OUTAGE_ANSWERS);
            if (soap) {
                return Answer.text(b.outageStatus(), "text/html;charset=UTF-8",
                        "<html><body><h1>" + b.outageStatus() + " Service Unavailable</h1></body></html>")
                        .withHeader("Retry-After", "30");
            }
            return error(new Refus(CodeErreur.INDISPONIBLE, "Service OuiForm indisponible (panne simulée)"),
                    b.outageStatus());
        }
        boolean contractDocument = soap && "GET".equals(call.method());
        if (!contractDocument && !authenticated(call)) {
            stats.count(Stats.AUTH_REFUSED);
            stats.code(CodeErreur.NON_AUTHENTIFIE);
            Answer a = soap ? Answer.text(401, "text/plain;charset=UTF-8", "Authentification requise")
                    : error(new Refus(CodeErreur.NON_AUTHENTIFIE, "Identifiants absents ou refusés"), 401);
            return a.withHeader("WWW-Authenticate", "Basic realm=\"OuiForm\", Bearer realm=\"OuiForm\"");
        }
        return null;
    }

    private boolean authenticated(Call call) {
        String auth = call.h("Authorization");
        if (auth == null) {
            return false;
        }
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] given = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            return settings.accounts().values().stream()
                    .anyMatch(a -> a.token() != null && MessageDigest.isEqual(a.token().getBytes(StandardCharsets.UTF_8), given));
        }
        if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return false;
            }
            Settings.Account account = settings.accounts().get(decoded.substring(0, colon));
            return account != null && account.password() != null && MessageDigest.isEqual(
                    account.password().getBytes(StandardCharsets.UTF_8),
                    decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    /** The code of an injected fault when one of the next N calls is to fail, else null. */
    CodeErreur takeFault() {
        while (true) {
            Behaviour b = behaviour.get();
            if (b.faultNext() <= 0) {
                return null;
            }
            if (behaviour.compareAndSet(b, b.withFaultNext(b.faultNext() - 1))) {
                stats.count(Stats.INJECTED_FAULTS);
                return b.faultCode();
            }
        }
    }

    /** The REST error answer of a refusal (status of its code unless given). */
    Answer error(Refus r, int status) {
        ObjectNode body = NODES.objectNode();
        body.put("code", r.code.name());
        body.put("message", r.getMessage());
        if (r.idPrescriptionOuiForm != null) {
            body.put("idPrescriptionOuiForm", r.idPrescriptionOuiForm);
        }
        if (!r.champs.isEmpty()) {
            ArrayNode c = body.putArray("champs");
            r.champs.forEach(c::add);
        }
        Answer a = Answer.json(status, body);
        return r.code == CodeErreur.INDISPONIBLE ? a.withHeader("Retry-After", "30") : a;
    }

    // ---------------------------------------------------------------------------------------------- operations

    /** soumettrePrescription: {@code request} is the element {@code of:soumettrePrescription}. */
    ObjectNode soumettre(Element request, Canal canal) {
        try {
            contract.validate(request);
            String idHub = Shapes.text(request, "idPrescriptionHub");
            Dossier existing = byHub.get(idHub);
            if (existing != null) {
                throw new Refus(CodeErreur.DOUBLON, "Prescription déjà reçue pour cet idPrescriptionHub",
                        existing.idOuiForm, List.of("idPrescriptionHub"));
            }
            List<String> missing = new ArrayList<>();
            for (String field : new String[] {"nom", "prenom", "dateNaissance", "commune"}) {
                // commune: its text is that of its children (codeInsee and libelle, required by the schema)
                if (Shapes.text(request, "beneficiaire/" + field) == null) {
                    missing.add("beneficiaire/" + field);
                }
            }
            if (!missing.isEmpty()) {
                throw new Refus(CodeErreur.BENEFICIAIRE_INCOMPLET, "Bénéficiaire incomplet : "
                        + String.join(", ", missing) + " obligatoire(s)", null, missing);
            }
            String idSession = Shapes.text(request, "idSession");
            Catalogue.SessionInfo session = catalogue.sessions().get(idSession);
            if (session == null) {
                throw new Refus(CodeErreur.SESSION_INCONNUE, "Session absente du catalogue régional", null,
                        List.of("idSession"));
            }
            if (!session.ouverte()) {
                throw new Refus(CodeErreur.SESSION_FERMEE, "Recrutement " + (session.etatRecrutement() == 2 ? "fermé"
                        : "suspendu") + " pour cette session", null, List.of("idSession"));
            }
            String idOuiForm = String.format("OF-%d-%06d", LocalDate.now(clock.withZone(PARIS)).getYear(),
                    numbers.incrementAndGet());
            Dossier d = new Dossier(idOuiForm, idHub, idSession, canal, Shapes.toJson(request, Shapes.PRESCRIPTION),
                    clock.instant());
            d.ajouter(entree(Statut.PRESCRIT, today(), null, 1));
            if (byHub.putIfAbsent(idHub, d) != null) {
                throw new Refus(CodeErreur.DOUBLON, "Prescription déjà reçue pour cet idPrescriptionHub",
                        byHub.get(idHub).idOuiForm, List.of("idPrescriptionHub"));
            }
            byOuiForm.put(idOuiForm, d);
            stats.count(Stats.PRESCRIPTIONS_ACCEPTED);
            LOG.info("OuiForm double: prescription {} received ({}) for session {}: {}", idOuiForm, canal, idSession,
                    Statut.PRESCRIT.wire());
            planifierPositionnement(d, generation.get());
            return etat(d);
        } catch (Refus r) {
            stats.count(Stats.PRESCRIPTIONS_REFUSED);
            throw r;
        }
    }

    /** consulterPrescription: {@code request} is the element {@code of:consulterPrescription}. */
    ObjectNode consulter(Element request) {
        contract.validate(request);
        String idOuiForm = Shapes.text(request, "idPrescriptionOuiForm");
        Dossier d = idOuiForm != null ? byOuiForm.get(idOuiForm) : byHub.get(Shapes.text(request, "idPrescriptionHub"));
        if (d == null) {
            throw new Refus(CodeErreur.PRESCRIPTION_INCONNUE, "Aucune prescription avec cet identifiant", null,
                    List.of(idOuiForm != null ? "idPrescriptionOuiForm" : "idPrescriptionHub"));
        }
        stats.count(Stats.CONSULTATIONS);
        ObjectNode out = etat(d);
        ArrayNode h = out.putArray("historique");
        d.historique().forEach(h::add);
        return out;
    }

    private ObjectNode etat(Dossier d) {
        ObjectNode last = d.dernier();
        ObjectNode out = NODES.objectNode();
        out.put("idPrescriptionOuiForm", d.idOuiForm);
        out.put("idPrescriptionHub", d.idHub);
        out.put("idSession", d.idSession);
        out.setAll(last);
        return out;
    }

    private ObjectNode entree(Statut statut, String dateEffet, String motif, long sequence) {
        ObjectNode e = NODES.objectNode();
        e.put("statut", statut.wire());
        e.put("dateEffet", dateEffet);
        if (motif != null) {
            e.put("motif", motif);
        }
        e.put("horodatage", horodatage(OffsetDateTime.now(clock.withZone(PARIS))));
        e.put("sequence", sequence);
        return e;
    }

    /**
     * An xs:dateTime with its offset, always with the seconds ({@code OffsetDateTime.toString()} drops ":00" seconds,
     * which the schema refuses).
     */
    static String horodatage(OffsetDateTime t) {
        return HORODATAGE.format(t);
    }

    private String today() {
        return LocalDate.now(clock.withZone(PARIS)).toString();
    }

    Dossier dossier(String idOuiForm, String idHub) {
        return idOuiForm != null ? byOuiForm.get(idOuiForm) : idHub == null ? null : byHub.get(idHub);
    }

    Collection<Dossier> dossiers() {
        return byOuiForm.values().stream().sorted((a, b) -> a.idOuiForm.compareTo(b.idOuiForm)).toList();
    }

    // ---------------------------------------------------------------------------------------------- life cycle

    /**
     * Records {@code statut} for {@code d} and sends the event to the hub (first attempt in the caller's thread when
     * {@code now}, else on the scheduler). Refused (IllegalArgumentException) when the life cycle does not allow it,
     * unless {@code force}, or when abandon comes without a motif; the event is checked against the contract before it
     * is recorded.
     */
    Notifier.Notification changer(Dossier d, Statut statut, String motif, String dateEffet, Canal canal, boolean force,
            boolean now) {
        ObjectNode evenement;
        synchronized (d) {
            Statut current = d.statut();
            if (!force && !current.next().contains(statut)) {
                throw new IllegalArgumentException("transition " + current.wire() + " -> " + statut.wire()
                        + " non prévue par le cycle de vie (force: true pour l'envoyer quand même)");
            }
            if (statut == Statut.ABANDON && (motif == null || motif.isBlank())) {
                throw new IllegalArgumentException("motif obligatoire pour abandon");
            }
            long sequence = d.dernier().get("sequence").asLong() + 1;
            ObjectNode entree = entree(statut, dateEffet == null ? today() : dateEffet, motif, sequence);
            evenement = NODES.objectNode();
            evenement.put("idEvenement", "EVT-" + d.idOuiForm + "-" + sequence);
            evenement.put("idPrescriptionOuiForm", d.idOuiForm);
            evenement.put("idPrescriptionHub", d.idHub);
            evenement.put("sequence", sequence);
            evenement.put("statut", statut.wire());
            evenement.put("dateEffet", entree.get("dateEffet").asText());
            if (motif != null) {
                evenement.put("motif", motif);
            }
            evenement.put("horodatage", entree.get("horodatage").asText());
            contract.validate(Shapes.toXml(contract.newDocument(), "notifierStatut", Shapes.EVENEMENT, evenement));
            d.ajouter(entree);
        }
        Canal via = canal != null ? canal : switch (settings.hub().channel()) {
            case SOAP -> Canal.SOAP;
            case REST -> Canal.REST;
            case SAME -> d.canal;
        };
        LOG.info("OuiForm double: prescription {} is now {} (event {}, sent via {})", d.idOuiForm, statut.wire(),
                evenement.get("idEvenement").asText(), via);
        return notifier.send(evenement, via, now);
    }

    private void planifierPositionnement(Dossier d, long gen) {
        int after = settings.positionedAfterSeconds();
        if (after <= 0) {
            return;
        }
        scheduler.schedule(() -> {
            if (automatique(d, gen, Statut.PRESCRIT, Statut.POSITIONNE)) {
                planifierEntree(d, gen);
            }
        }, after, TimeUnit.SECONDS);
    }

    private void planifierEntree(Dossier d, long gen) {
        long delaySeconds;
        if (settings.enteredAfterSeconds() > 0) {
            delaySeconds = settings.enteredAfterSeconds();
        } else if (settings.enteredAtSessionStart()) {
            Catalogue.SessionInfo s = catalogue.sessions().get(d.idSession);
            LocalDate start = s == null ? null : Catalogue.firstDay(s.debut());
            if (start == null) {
                return;
            }
            Instant at = start.atTime(LocalTime.of(9, 0)).atZone(PARIS).toInstant();
            delaySeconds = Math.max(1, Duration.between(clock.instant(), at).getSeconds());
        } else {
            return;
        }
        scheduler.schedule(() -> automatique(d, gen, Statut.POSITIONNE, Statut.ENTRE), delaySeconds, TimeUnit.SECONDS);
    }

    /** An automatic change, done only when nothing else moved the prescription meanwhile. */
    private boolean automatique(Dossier d, long gen, Statut from, Statut to) {
        try {
            if (gen != generation.get() || byOuiForm.get(d.idOuiForm) != d || d.statut() != from) {
                return false;
            }
            changer(d, to, null, null, null, false, false);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("OuiForm double: automatic status {} of {} not sent ({})", to.wire(), d.idOuiForm,
                    e.getClass().getSimpleName());
            return false;
        }
    }

    Map<String, Object> live() {
        return Map.of("prescriptions", byOuiForm.size(), "statusEventsPending", notifier.pending());
    }
}
