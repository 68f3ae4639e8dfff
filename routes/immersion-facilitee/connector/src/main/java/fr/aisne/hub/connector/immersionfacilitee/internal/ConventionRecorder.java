package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConvention;
import fr.aisne.hub.connector.immersionfacilitee.internal.ConventionStore.Stored;
import fr.aisne.hub.connector.immersionfacilitee.internal.ConventionStore.Trigger;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * What both sources do with a convention of the department, once read (Immersion Facilitée, re-read from the
 * platform) or received (the department's own entry): the beneficiary into the registry, the department's events,
 * then the convention, its days and its status history in the connector's tables.
 * <p>
 * <b>Registry.</b> The first time, the beneficiary is matched by identity (names and birth date: there is no NIR
 * and no France Travail number here) with the convention as an identifier ({@code immersion-facilitee:convention} or
 * {@code departement:pmsmp}); a probable match waits for an operator as any other, and since the identifier rides
 * with the observation, the operator's decision (confirm or reject) makes it findable: {@link MatchResolver} then
 * learns the person. Later versions are recorded through that identifier, without the identity. The person's record
 * shows each convention as one attribute {@code pmsmp_<id>} (a small JSON: status, dates, hours, SIRET, assessment),
 * whose history is the convention's, with provenance. {@code rqth} only when {@link RqthRule} says.
 * <p>
 * <b>Events</b> ({@code immersion.validee}, {@code .annulee}, {@code .rejetee}, {@code .bilan}) are handed to the
 * flow departement/evenements-immersion, each under a partner message id made of its type and the convention
 * (and the assessment), before the convention is written: a delivery that runs again after a crash hands the same
 * ids, which the hub records as duplicates.
 */
final class ConventionRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ConventionRecorder.class);
    static final String VALIDATED = "immersion.validee";
    static final String CANCELLED = "immersion.annulee";
    static final String REJECTED = "immersion.rejetee";
    static final String ASSESSMENT = "immersion.bilan";
    static final String CERTAIN = "CERTAIN";
    static final String ABSENT = "ABSENT";
    static final String PROBABLE = "PROBABLE";

    private final ConventionStore store;
    private final Fingerprints fingerprints;
    private final PersonRegistry registry;
    private final RqthRule rqth;
    private final Intake intake;
    private final Clock clock;
    private volatile Flow eventsFlow;

    ConventionRecorder(ConventionStore store, Fingerprints fingerprints, PersonRegistry registry, RqthRule rqth,
            Intake intake, Clock clock) {
        this.store = store;
        this.fingerprints = fingerprints;
        this.registry = registry;
        this.rqth = rqth;
        this.intake = intake;
        this.clock = clock;
    }

    void eventsFlow(Flow flow) {
        this.eventsFlow = flow;
    }

    ConventionStore store() {
        return store;
    }

    Fingerprints fingerprints() {
        return fingerprints;
    }

    /**
     * Records a convention of the department. {@code actor}: who entered it (the department's sender account, to
     * confirm a probable match to the person it named), null for the platform's.
     */
    String record(Convention c, Trigger by, String actor) throws DeliveryFailure {
        Optional<Stored> before = store.storedOf(c.key());
        String fp = fingerprints.of(c);
        String identifierKind = identifierKind(c.source());

        // 1. who: the registry
        String person = before.map(Stored::personId).orElse(null);
        String state = before.map(Stored::matchState).orElse(null);
        String candidate = before.map(Stored::candidateId).orElse(null);
        boolean keepRqth = c.beneficiary() != null && c.beneficiary().isRqth() != null && rqth.keep();
        List<String> notes = new ArrayList<>();
        boolean observedNow = state == null;
        if (state == null) {
            MatchResult m = firstObservation(c, by, keepRqth, identifierKind);
            person = m.outcome() == MatchResult.Outcome.PROBABLE ? null : m.personId();
            state = m.outcome().name();
            candidate = m.candidateId();
            if (m.outcome() == MatchResult.Outcome.PROBABLE && c.beneficiary().personId() != null
                    && c.beneficiary().personId().equals(m.personId()) && actor != null) {
                // the department's agent named this very person: their entry is the operator's decision
                MatchResult confirmed = registry.confirmMatch(m.candidateId(), actor);
                person = confirmed.personId();
                state = CERTAIN;
                notes.add("probable match to the personId given confirmed in the name of " + actor);
            } else if (c.beneficiary().personId() != null && person != null && !person.equals(c.beneficiary().personId())) {
                notes.add("the registry placed the beneficiary on another person than the personId given: check it");
            }
        } else if (PROBABLE.equals(state)) {
            List<String> found = registry.findByIdentifier(c.source(), identifierKind, c.reference());
            if (found.size() == 1) {
                person = found.get(0);
                state = CERTAIN;
                candidate = null;
                notes.add("an operator decided the probable match");
            }
        }

        // 2. what the department must know, handed over before anything is written
        List<DepartmentEvent> events = events(c, before.orElse(null), person, state, candidate, by);
        for (DepartmentEvent e : events) {
            handOver(e, eventId(e, c));
        }

        // 3. the convention
        int version = store.save(c, before.orElse(null), fp, by, null, new ConventionStore.PersonRef(person, state, candidate));
        if (!PROBABLE.equals(state)) {
            String digest = fp + (keepRqth ? ":r" : "");
            String observed = before.map(Stored::observedDigest).orElse(null);
            if (!observedNow && !Objects.equals(observed, digest)) {
                observeUpdate(c, by, keepRqth, identifierKind);
            }
            store.observed(c.key(), digest);
        }
        if (Convention.IMMERSION_FACILITEE.equals(c.source())) {
            store.seen(c.key(), fp, "DEPARTMENT");
        }
        StringBuilder detail = new StringBuilder("convention ").append(c.key()).append(' ').append(c.status());
        before.filter(b -> !b.status().equals(c.status())).ifPresent(b -> detail.append(" (was ").append(b.status()).append(')'));
        if (before.isPresent() && !before.get().inDepartment()) {
            detail.append(", back among the department's");
        }
        detail.append(", ").append(c.dateStart()).append("..").append(c.dateEnd()).append(", ")
                .append(Schedules.hours(c.plannedMinutes()).stripTrailingZeros().toPlainString()).append(" h planned")
                .append(before.isEmpty() ? ", new" : before.get().fingerprint().equals(fp) ? ", unchanged" : ", version " + version)
                .append("; person: ").append(describe(state, person, candidate));
        if (!events.isEmpty()) {
            detail.append("; events: ").append(String.join(", ", events.stream().map(DepartmentEvent::type).toList()));
        }
        if (c.beneficiary() != null && c.beneficiary().isRqth() != null) {
            detail.append(keepRqth ? "; rqth recorded (special category, masked)" : "; rqth not kept (no disclosure rule names rqth)");
        }
        notes.forEach(n -> detail.append("; ").append(n));
        return detail.toString();
    }

    /**
     * Takes a convention out of the department's conventions; the registry's {@code pmsmp_<id>} says so with the
     * reason. False when the hub did not hold it among the department's.
     */
    boolean remove(String key, String reason, Trigger by) {
        if (!store.remove(key, reason, by)) {
            return false;
        }
        store.storedOf(key).filter(s -> s.personId() != null && !PROBABLE.equals(s.matchState()))
                .ifPresent(s -> summaryObservation(s.source(), key, by));
        return true;
    }

    /** A convention that left the department while the platform still lets the hub read it (moved to another agency). */
    String removeInScope(Convention c, String reason, Trigger by) {
        Optional<Stored> before = store.storedOf(c.key());
        String fp = fingerprints.of(c);
        store.save(c, before.orElse(null), fp, by, reason, null);
        store.seen(c.key(), fp, "REMOVED");
        before.filter(s -> s.personId() != null && !PROBABLE.equals(s.matchState()))
                .ifPresent(s -> summaryObservation(s.source(), c.key(), by));
        return "convention " + c.key() + " removed from the department's conventions: " + reason;
    }

    /** After an operator's decision: the person now holds the convention's identifier. */
    boolean resolve(Stored s, String exchangeLikeId) {
        List<String> found = registry.findByIdentifier(s.source(), identifierKind(s.source()), reference(s));
        if (found.size() != 1) {
            return false;
        }
        store.person(s.key(), found.get(0), CERTAIN, null);
        if (!Objects.equals(s.observedDigest(), s.fingerprint())) {
            summaryObservation(s.source(), s.key(), new Trigger("operator", exchangeLikeId));
            store.observed(s.key(), s.fingerprint());
        }
        LOG.info("Immersion Facilitée: convention {} now on person {} (an operator decided the probable match)", s.key(),
                found.get(0));
        return true;
    }

    private String reference(Stored s) {
        return store.find(s.key()).map(PmsmpConvention::reference).orElse(s.key());
    }

    // ---------------------------------------------------------------------------------------------- registry

    private MatchResult firstObservation(Convention c, Trigger by, boolean keepRqth, String identifierKind)
            throws DeliveryFailure {
        // a delivery run again after a crash finds its own pending candidate instead of making a second one
        for (Map<String, Object> pending : safePending()) {
            if (c.source().equals(pending.get("sourcePartner")) && by.exchangeId() != null
                    && by.exchangeId().equals(pending.get("sourceExchange"))) {
                return new MatchResult(MatchResult.Outcome.PROBABLE, (String) pending.get("candidatePersonId"),
                        (String) pending.get("id"), "name and birth date");
            }
        }
        if (c.beneficiary() == null || c.beneficiary().lastName() == null || c.beneficiary().firstName() == null
                || c.beneficiary().birthdate() == null) {
            throw DeliveryFailure.permanent("convention " + c.key() + ": the beneficiary's names and birth date are needed "
                    + "to find the person");
        }
        if (c.beneficiary().personId() != null) {
            checkNamedPerson(c);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("nom_usage", c.beneficiary().lastName());
        attributes.put("prenom", c.beneficiary().firstName());
        attributes.put("date_naissance", c.beneficiary().birthdate().toString());
        attributes.put(attributeName(c.key()), summary(c, null));
        if (keepRqth) {
            attributes.put(RqthRule.FIELD, c.beneficiary().isRqth() ? "oui" : "non");
        }
        try {
            return registry.observe(new PersonObservation(c.source(), by.exchangeId(), clock.instant(), null,
                    Map.of(c.source() + ":" + identifierKind, c.reference()), attributes, null));
        } catch (RuntimeException e) {
            throw DeliveryFailure.temporary("registry unavailable: " + Redaction.describe(e));
        }
    }

    /** The department named a person: it must exist and be born that day (nothing else is compared). */
    private void checkNamedPerson(Convention c) throws DeliveryFailure {
        var p = registry.find(c.beneficiary().personId());
        if (p.isEmpty()) {
            throw DeliveryFailure.permanent("beneficiary.personId: no such person in the registry");
        }
        var birth = p.get().attributes().get("date_naissance");
        if (birth != null && !c.beneficiary().birthdate().toString().equals(birth.value())) {
            throw DeliveryFailure.permanent("beneficiary.personId: that person's birth date in the registry differs from "
                    + "beneficiary.birthdate");
        }
    }

    private void observeUpdate(Convention c, Trigger by, boolean keepRqth, String identifierKind) throws DeliveryFailure {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(attributeName(c.key()), summary(c, null));
        if (keepRqth) {
            attributes.put(RqthRule.FIELD, c.beneficiary().isRqth() ? "oui" : "non");
        }
        try {
            registry.observe(new PersonObservation(c.source(), by.exchangeId(), clock.instant(), null,
                    Map.of(c.source() + ":" + identifierKind, c.reference()), attributes, null));
        } catch (RuntimeException e) {
            throw DeliveryFailure.temporary("registry unavailable: " + Redaction.describe(e));
        }
    }

    /** The person's {@code pmsmp_<id>} from what the hub keeps (no identity needed: the identifier places it). */
    private void summaryObservation(String source, String key, Trigger by) {
        store.find(key).ifPresent(p -> {
            String kind = identifierKind(source);
            // only when the identifier is known to the registry: otherwise the observation would make a new person
            if (registry.findByIdentifier(source, kind, p.reference()).size() == 1) {
                registry.observe(new PersonObservation(source, by.exchangeId(), clock.instant(), null,
                        Map.of(source + ":" + kind, p.reference()), Map.of(attributeName(key), summary(null, p)), null));
            }
        });
    }

    private List<Map<String, Object>> safePending() throws DeliveryFailure {
        try {
            // only the candidates' ids and sources are read: no disclosure rule for this purpose, so no observed value
            return registry.pendingMatches(Convention.IMMERSION_FACILITEE, "rapprochement",
                    new fr.aisne.hub.registry.Access(fr.aisne.hub.registry.Access.SYSTEM,
                            fr.aisne.hub.registry.Access.MATCH_REVIEW));
        } catch (RuntimeException e) {
            throw DeliveryFailure.temporary("registry unavailable: " + Redaction.describe(e));
        }
    }

    static String identifierKind(String source) {
        return Convention.IMMERSION_FACILITEE.equals(source) ? "convention" : "pmsmp";
    }

    /** {@code pmsmp_<platform id without hyphens>}, or {@code pmsmp_cd_<digest of the reference>}. */
    static String attributeName(String key) {
        if (key.startsWith("cd-")) {
            return "pmsmp_cd_" + sha256(key.substring(3)).substring(0, 24);
        }
        return "pmsmp_" + key.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** The value of {@code pmsmp_<id>} on the person's record: a small JSON, no personal value but the hours. */
    static String summary(Convention c, PmsmpConvention p) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (c != null) {
            m.put("source", c.source());
            m.put("convention", c.reference());
            m.put("statut", c.status());
            m.put("debut", c.dateStart().toString());
            m.put("fin", c.dateEnd().toString());
            m.put("heures", Schedules.hours(c.plannedMinutes()));
            if (c.doneMinutes() != null) {
                m.put("heuresRealisees", Schedules.hours(c.doneMinutes()));
            }
            m.put("siret", c.hostSiret());
            m.put("etablissement", c.hostName());
            if (c.assessment() != null) {
                m.put("bilan", c.assessment().status());
                m.put("sortieEmploi", c.assessment().endedWithAJob());
            }
        } else {
            m.put("source", p.source());
            m.put("convention", p.reference());
            m.put("statut", p.status());
            m.put("debut", p.dateStart().toString());
            m.put("fin", p.dateEnd().toString());
            m.put("heures", p.plannedHours());
            if (p.doneHours() != null) {
                m.put("heuresRealisees", p.doneHours());
            }
            m.put("siret", p.hostSiret());
            m.put("etablissement", p.hostName());
            if (p.assessmentStatus() != null) {
                m.put("bilan", p.assessmentStatus());
                m.put("sortieEmploi", p.endedWithAJob());
            }
            if (!p.inDepartment()) {
                m.put("retrait", p.removedReason());
            }
        }
        m.values().removeIf(Objects::isNull);
        return Json.write(m);
    }

    // ---------------------------------------------------------------------------------------------- events

    List<DepartmentEvent> events(Convention c, Stored before, String person, String state, String candidate, Trigger by) {
        List<DepartmentEvent> out = new ArrayList<>();
        Instant at = clock.instant();
        String was = before == null ? null : before.status();
        if (c.inStatus(Convention.VALIDATED) && !Convention.VALIDATED.equals(was)) {
            out.add(event(VALIDATED, c, person, state, candidate, by, at, Map.of()));
        }
        if (c.inStatus(Convention.CANCELLED) && !Convention.CANCELLED.equals(was)) {
            out.add(event(CANCELLED, c, person, state, candidate, by, at, Map.of()));
        }
        if (c.inStatus(Convention.REJECTED) && !Convention.REJECTED.equals(was)) {
            out.add(event(REJECTED, c, person, state, candidate, by, at, Map.of()));
        }
        if (c.assessment() != null && (before == null || !c.assessment().status().equals(before.assessmentStatus())
                || !Objects.equals(c.assessment().endedWithAJob(), before.endedWithJob()))) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("bilan", c.assessment().status());
            d.put("sortie_emploi", c.assessment().endedWithAJob() == null ? "inconnue" : c.assessment().endedWithAJob()
                    ? "oui" : "non");
            out.add(event(ASSESSMENT, c, person, state, candidate, by, at, d));
        }
        return out;
    }

    private static DepartmentEvent event(String type, Convention c, String person, String state, String candidate,
            Trigger by, Instant at, Map<String, String> more) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("convention", c.reference());
        d.put("source", c.source());
        d.put("statut", c.status());
        d.put("date_debut", c.dateStart().toString());
        d.put("date_fin", c.dateEnd().toString());
        d.put("heures", Schedules.hours(c.plannedMinutes()).stripTrailingZeros().toPlainString());
        if (c.hostSiret() != null) {
            d.put("siret", c.hostSiret());
        }
        d.put("rapprochement", state);
        if (candidate != null) {
            d.put("candidat", candidate);
        }
        d.putAll(more);
        return DepartmentEvent.of(type, person, null, at, c.source(), by.exchangeId(), d);
    }

    /** The partner message id of an event: its type and the convention (and the assessment), under 64 characters. */
    static String eventId(DepartmentEvent e, Convention c) {
        String t = e.type().substring(e.type().indexOf('.') + 1);
        String id = "ev-" + t + "-" + c.key();
        if (ASSESSMENT.equals(e.type())) {
            id += "-" + c.assessment().status().charAt(0) + (c.assessment().endedWithAJob() == null ? "U"
                    : c.assessment().endedWithAJob() ? "Y" : "N");
        }
        return id;
    }

    private void handOver(DepartmentEvent e, String messageId) throws DeliveryFailure {
        Flow f = eventsFlow;
        if (f == null) {
            throw DeliveryFailure.temporary("the department events flow is not declared yet");
        }
        try {
            IngestResult r = intake.accept(f, new ByteArrayInputStream(Json.write(List.of(e)).getBytes(StandardCharsets.UTF_8)),
                    new InboundMetadata(e.sourceExchange(), messageId, "application/json", "immersion-facilitee",
                            e.details().get("convention")));
            if (!r.outcome().taken()) {
                throw DeliveryFailure.temporary("department event " + e.type() + " not taken by the hub (" + r.outcome()
                        + "): retried");
            }
        } catch (java.io.IOException ex) {
            throw DeliveryFailure.temporary("department event not taken: " + Redaction.describe(ex));
        }
    }

    private static String describe(String state, String person, String candidate) {
        if (PROBABLE.equals(state)) {
            return "probable match " + candidate + " waits for an operator (GET /hub/api/departement/matches)";
        }
        return (ABSENT.equals(state) ? "new person " : "") + person + (CERTAIN.equals(state) ? " (certain)" : "");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
