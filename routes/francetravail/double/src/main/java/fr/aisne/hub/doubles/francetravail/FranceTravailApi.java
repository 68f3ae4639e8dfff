package fr.aisne.hub.doubles.francetravail;

import static fr.aisne.hub.doubles.francetravail.Payloads.map;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.aisne.hub.doubles.francetravail.Usager.Outcome;

/**
 * The France Travail partner APIs, independent of the HTTP server: {@link #handle(Call)} takes a request and gives
 * the answer. State (tokens, jetons usager, persons, orientations, appointments) lives in memory.
 * <p>
 * Partner calls go through, in this order: the injected latency, the injected outage, the forced 429s, the rate
 * limit (per OAuth2 client), then the API itself. Calls under {@code /double/} (control and stats) skip all of
 * that and are not counted.
 * <p>
 * Logs carry the method and path template, the status and the duration, never a NIR, secret, token or jeton.
 */
final class FranceTravailApi {
    private static final Logger LOG = LoggerFactory.getLogger(FranceTravailApi.class);
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final String TOKEN = "/connexion/oauth2/access_token";
    static final String SEARCH_NIR = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir";
    static final String SEARCH_NUMERO = "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail";
    static final String ORIENTATION = "/partenaire/orientationusager/v1/orientation";
    static final String LECTURE_ORIENTATION = "/partenaire/orientationusager/v1/lectureOrientation";
    static final String INFORMATIONS_ADMINISTRATIVES = "/partenaire/informations-administratives/v1/usager";
    static final String CONTRAT = "/partenaire/contrat-usager/v2/contrat";
    static final String RQTH = "/partenaire/donnees-rqth/v1/rqth";
    static final String RENDEZ_VOUS = "/partenaire/rendez-vous-partenaire/v1/rendez-vous";

    static final String JETON_HEADER = "ft-jeton-usager";
    static final List<String> AGENT_HEADERS = List.of("pa-identifiant-agent", "pa-nom-agent", "pa-prenom-agent");

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern NUMERO = Pattern.compile("\\d{11}");
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,30}");
    private static final Set<String> PARCOURS = Set.of("PED", "PSP", "PSO");
    private static final Set<String> ORGANISMES_ORIENTATION = Set.of("CD", "FT", "DCD", "ML", "CE");
    private static final Set<String> MODALITES = Set.of("PHYSIQUE", "TELEPHONE", "VISIO");
    private static final Set<String> MOTIFS_RDV = Set.of("AUT", "ACC", "ORI");
    private static final Set<String> INITIATEURS = Set.of("USAGER", "PARTENAIRE");
    private static final Set<String> STATUTS_RDV = Set.of("PRIS", "EFFECTUE", "MODIFIE", "ABSENT", "ANNULE");
    private static final Set<String> TYPES_RECEPTION = Set.of("COL", "IND");
    private static final Set<String> ORGANISMES_RDV = Set.of("IND", "FT", "CD", "DCD", "ML", "CE");

    /** A request: method, path (no query), raw query, header lookup (case-insensitive), body (may be empty). */
    record Call(String method, String path, String query, Function<String, String> header, byte[] body) {
        String h(String name) {
            String v = header.apply(name);
            return v == null || v.isBlank() ? null : v.trim();
        }
    }

    /** An answer: status, extra headers, body (null for none). */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    private record Token(String clientId, Set<String> scopes, Instant expiry) {
    }

    private record Jeton(String numero, String clientId, Instant expiry) {
    }

    private record RendezVous(String numero, Map<String, Object> data) {
    }

    /** Ends the handling of a call with {@code answer}. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Answer answer;

        Refused(Answer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AtomicReference<Behaviour> behaviour;
    private final RateLimiter limiter = new RateLimiter();
    private final Stats stats = new Stats();
    private final AtomicLong issued = new AtomicLong();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Jeton> jetons = new ConcurrentHashMap<>();
    private final Map<String, Usager> registered = new ConcurrentHashMap<>();
    private final Map<String, Usager> byNir = new ConcurrentHashMap<>();
    private final Map<String, Usager> byNumero = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> orientations = new ConcurrentHashMap<>();
    private final Map<String, RendezVous> rendezVous = new ConcurrentHashMap<>();
    /** Technical failures answered so far per numéro (transient R998/R999 of the fixture rule). */
    private final Map<String, Integer> failuresSoFar = new ConcurrentHashMap<>();
    static final int TRANSIENT_FAILURES = 2;
    private volatile java.util.function.LongPredicate disconnector = millis -> false;

    FranceTravailApi(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.behaviour = new AtomicReference<>(settings.behaviour());
    }

    Behaviour behaviour() {
        return behaviour.get();
    }

    /**
     * What {@code POST /double/control/disconnect} calls: closes the listener for the given milliseconds (soon after
     * answering), true when it will. Set by the server.
     */
    void disconnector(java.util.function.LongPredicate disconnector) {
        this.disconnector = disconnector;
    }

    /** Answers {@code call}; never throws. */
    Answer handle(Call call) {
        if (call.path().equals("/double") || call.path().startsWith("/double/")) {
            try {
                return control(call);
            } catch (Refused r) {
                return r.answer;
            } catch (RuntimeException e) {
                LOG.warn("France Travail double: control call failed ({})", e.getClass().getSimpleName());
                return error(500, "ERREUR_INTERNE", "Erreur interne du double");
            }
        }
        long start = System.nanoTime();
        String endpoint = endpoint(call);
        Answer answer;
        try {
            answer = partner(call);
        } catch (Refused r) {
            answer = r.answer;
        } catch (RuntimeException e) {
            LOG.warn("France Travail double: {} failed ({})", endpoint, e.getClass().getSimpleName());
            answer = error(500, "ERREUR_INTERNE", "Erreur interne du double");
        }
        stats.answered(endpoint, answer.status());
        if (LOG.isDebugEnabled()) {
            LOG.debug("France Travail double: {} -> {} ({} ms)", endpoint, answer.status(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return answer;
    }

    /** Method and path template of a partner call, safe to log and count (no value from the request). */
    static String endpoint(Call call) {
        String p = call.path();
        String template = switch (p) {
            case TOKEN, SEARCH_NIR, SEARCH_NUMERO, ORIENTATION, LECTURE_ORIENTATION, INFORMATIONS_ADMINISTRATIVES,
                    CONTRAT, RQTH, RENDEZ_VOUS -> p;
            default -> p.startsWith(RENDEZ_VOUS + "/") && p.indexOf('/', RENDEZ_VOUS.length() + 1) < 0
                    ? RENDEZ_VOUS + "/{id}" : "(unknown path)";
        };
        String method = call.method().matches("[A-Z]{3,7}") ? call.method() : "OTHER";
        return method + " " + template;
    }

    // ---------------------------------------------------------------------------------------------- partner calls

    private Answer partner(Call call) {
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
            return error(b.outageStatus(), "SERVICE_INDISPONIBLE", "Service indisponible (panne simulée)");
        }
        if (takeForced429()) {
            return tooManyRequests(b);
        }
        if (b.rateLimitPerSecond() > 0 && !limiter.tryAcquire(clientOf(call), b.rateLimitPerSecond(), clock.millis())) {
            return tooManyRequests(b);
        }
        String p = call.path();
        String m = call.method();
        switch (p) {
            case TOKEN:
                allow(m, "POST");
                return token(call);
            case SEARCH_NIR:
                allow(m, "POST");
                return searchByNir(call);
            case SEARCH_NUMERO:
                allow(m, "POST");
                return searchByNumero(call);
            case ORIENTATION:
                allow(m, "POST");
                return pushOrientation(call);
            case LECTURE_ORIENTATION:
                allow(m, "GET");
                return readOrientation(call);
            case INFORMATIONS_ADMINISTRATIVES:
                allow(m, "GET");
                return personData(call, Scopes.INFORMATIONS_ADMINISTRATIVES, u -> u.informationsAdministratives()
                        ? Payloads.informationsAdministratives(u, today()) : null);
            case CONTRAT:
                allow(m, "GET");
                return personData(call, Scopes.CONTRAT, u -> u.inscrit() ? Payloads.contrat(u, today()) : null);
            case RQTH:
                allow(m, "GET");
                return personData(call, Scopes.RQTH, u -> u.rqth() ? Payloads.rqth(u, today()) : null);
            case RENDEZ_VOUS:
                allow(m, "POST", "PUT");
                return m.equals("POST") ? createRendezVous(call) : updateRendezVous(call, null);
            default:
                if (p.startsWith(RENDEZ_VOUS + "/") && p.indexOf('/', RENDEZ_VOUS.length() + 1) < 0) {
                    allow(m, "PUT", "DELETE");
                    String id = p.substring(RENDEZ_VOUS.length() + 1);
                    return m.equals("PUT") ? updateRendezVous(call, id) : cancelRendezVous(call, id);
                }
                return error(404, "RESSOURCE_INCONNUE", "Ressource inconnue");
        }
    }

    private boolean takeForced429() {
        while (true) {
            Behaviour b = behaviour.get();
            if (b.status429Next() <= 0) {
                return false;
            }
            if (behaviour.compareAndSet(b, b.withStatus429Next(b.status429Next() - 1))) {
                return true;
            }
        }
    }

    private Answer tooManyRequests(Behaviour b) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", String.valueOf(b.retryAfterSeconds()));
        return json(429, headers, map("code", "TROP_DE_REQUETES",
                "message", "Nombre maximal d'appels par seconde atteint, réessayer après " + b.retryAfterSeconds() + " s"));
    }

    /** Rate-limit key: the OAuth2 client of the call (form client_id on the token endpoint, else the token's). */
    private String clientOf(Call call) {
        if (call.path().equals(TOKEN)) {
            String id = form(call).get("client_id");
            return id == null ? "(anonymous)" : "client:" + id;
        }
        String bearer = bearer(call);
        Token t = bearer == null ? null : tokens.get(bearer);
        return t == null ? "(anonymous)" : "client:" + t.clientId();
    }

    private static void allow(String method, String... allowed) {
        if (!Arrays.asList(allowed).contains(method)) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Allow", String.join(", ", allowed));
            throw new Refused(json(405, headers, map("code", "METHODE_NON_AUTORISEE",
                    "message", "Méthode non autorisée, attendu : " + String.join(", ", allowed))));
        }
    }

    // ---------------------------------------------------------------------------------------------- OAuth2

    private Answer token(Call call) {
        Map<String, String> q = parseForm(call.query());
        if (!"/partenaire".equals(q.get("realm"))) {
            return oauthError(400, "invalid_request", "realm=/partenaire attendu dans l'URL");
        }
        String contentType = call.h("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            return oauthError(400, "invalid_request", "corps application/x-www-form-urlencoded attendu");
        }
        Map<String, String> form = form(call);
        String grant = form.get("grant_type");
        if (grant == null) {
            return oauthError(400, "invalid_request", "grant_type manquant");
        }
        if (!grant.equals("client_credentials")) {
            return oauthError(400, "unsupported_grant_type", "seul client_credentials est accepté");
        }
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        if (clientId == null || secret == null) {
            return oauthError(400, "invalid_request", "client_id et client_secret sont obligatoires");
        }
        Settings.Client client = settings.clients().get(clientId);
        if (client == null || !java.security.MessageDigest.isEqual(client.secret().getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8))) {
            return oauthError(401, "invalid_client", "client inconnu ou secret incorrect");
        }
        String scope = form.get("scope");
        if (scope == null || scope.isBlank()) {
            return oauthError(400, "invalid_scope", "scope manquant");
        }
        Set<String> requested = new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));
        List<String> refused = requested.stream().filter(s -> !client.scopes().contains(s)).toList();
        if (!refused.isEmpty()) {
            return oauthError(400, "invalid_scope", "scope non autorisé pour ce client : " + String.join(" ", refused));
        }
        String token = randomToken(32);
        tokens.put(token, new Token(clientId, Set.copyOf(requested), clock.instant().plusSeconds(settings.tokenExpiresSeconds())));
        stats.count(Stats.TOKENS_ISSUED);
        purgeNowAndThen();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        headers.put("Pragma", "no-cache");
        return json(200, headers, map("access_token", token, "token_type", "Bearer",
                "expires_in", settings.tokenExpiresSeconds(), "scope", String.join(" ", requested)));
    }

    private Answer oauthError(int status, String error, String description) {
        stats.count(Stats.TOKENS_REFUSED);
        return json(status, Map.of(), map("error", error, "error_description", description));
    }

    private static String bearer(Call call) {
        String auth = call.h("Authorization");
        if (auth == null || auth.length() < 8 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = auth.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    /** The valid token of the call, with every scope in {@code needed}; else refuses with 401 or 403. */
    private Token authorize(Call call, String... needed) {
        String bearer = bearer(call);
        if (bearer == null) {
            throw new Refused(bearerError(401, "invalid_token", "en-tête Authorization: Bearer absent"));
        }
        Token t = tokens.get(bearer);
        if (t == null) {
            throw new Refused(bearerError(401, "invalid_token", "jeton d'accès inconnu"));
        }
        if (!clock.instant().isBefore(t.expiry())) {
            tokens.remove(bearer);
            throw new Refused(bearerError(401, "invalid_token", "jeton d'accès expiré"));
        }
        List<String> missing = Arrays.stream(needed).filter(s -> !t.scopes().contains(s)).toList();
        if (!missing.isEmpty()) {
            throw new Refused(bearerError(403, "insufficient_scope", "scope requis : " + String.join(" ", missing)));
        }
        return t;
    }

    private Answer bearerError(int status, String error, String description) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("WWW-Authenticate", "Bearer realm=\"/partenaire\", error=\"" + error + "\"");
        return json(status, headers, map("error", error, "error_description", description));
    }

    // ---------------------------------------------------------------------------------------------- rechercher-usager

    private Answer searchByNir(Call call) {
        Token token = authorize(call, Scopes.RECHERCHER_USAGER, Scopes.RECHERCHE_USAGER_FONCTIONNEL);
        JsonNode body = searchBody(call);
        String nir = text(body, "nir");
        String date = text(body, "dateNaissance");
        if (date == null) {
            return searchAnswer(Outcome.R997, "dateNaissance est obligatoire", null, null);
        }
        LocalDate birth = parseBirthDate(date);
        if (birth == null) {
            return searchAnswer(Outcome.R997, "dateNaissance doit être une date passée au format yyyy-MM-dd", null, null);
        }
        String problem = Nir.problem(nir);
        if (problem != null) {
            return searchAnswer(Outcome.R997, problem, null, null);
        }
        Usager u = registered.get(nir);
        if (u == null) {
            if (!Nir.matchesBirthDate(nir, birth)) {
                return searchAnswer(Outcome.S002, null, null, null);
            }
            u = byNir.computeIfAbsent(nir, k -> Fixtures.fromNir(k, birth));
            byNumero.putIfAbsent(u.numeroFranceTravail(), u);
        }
        if (!u.dateNaissance().equals(birth)) {
            return searchAnswer(Outcome.S002, null, null, null);
        }
        return found(token, u);
    }

    private Answer searchByNumero(Call call) {
        Token token = authorize(call, Scopes.RECHERCHER_USAGER, Scopes.RECHERCHE_USAGER_FONCTIONNEL);
        JsonNode body = searchBody(call);
        String numero = text(body, "numeroFranceTravail");
        if (numero == null) {
            return searchAnswer(Outcome.R997, "numeroFranceTravail est obligatoire", null, null);
        }
        if (!NUMERO.matcher(numero).matches()) {
            return searchAnswer(Outcome.R997, "numeroFranceTravail doit comporter 11 chiffres", null, null);
        }
        Usager u = byNumero.computeIfAbsent(numero, k -> {
            Usager created = Fixtures.fromNumero(k);
            byNir.putIfAbsent(created.nir(), created);
            return created;
        });
        return found(token, u);
    }

    private JsonNode searchBody(Call call) {
        JsonNode body = parseJson(call);
        if (body == null || !body.isObject()) {
            throw new Refused(searchAnswer(Outcome.R997, "corps JSON attendu", null, null));
        }
        return body;
    }

    private Answer found(Token token, Usager u) {
        if (u.outcome() != Outcome.S001 && !recovered(u)) {
            return searchAnswer(u.outcome(), null, null, null);
        }
        String jeton = randomToken(48);
        jetons.put(jeton, new Jeton(u.numeroFranceTravail(), token.clientId(),
                clock.instant().plusSeconds(settings.jetonExpiresSeconds())));
        stats.count(Stats.JETONS_ISSUED);
        purgeNowAndThen();
        return searchAnswer(Outcome.S001, null, jeton, u.certifiee() ? "O" : "N");
    }

    /**
     * R998 and R999 chosen by the fixture rule are transient, as France Travail's technical errors are meant to
     * be: the first {@link #TRANSIENT_FAILURES} searches for the person fail, the next ones find them (S001), so
     * that a client's retries are exercised and succeed. A person registered through
     * {@code POST /double/control/usagers} with R998/R999 keeps failing.
     */
    private boolean recovered(Usager u) {
        boolean technical = u.outcome() == Outcome.R998_500 || u.outcome() == Outcome.R998_502 || u.outcome() == Outcome.R999;
        if (!technical || registered.get(u.nir()) == u) {
            return false;
        }
        return failuresSoFar.merge(u.numeroFranceTravail(), 1, Integer::sum) > TRANSIENT_FAILURES;
    }

    private Answer searchAnswer(Outcome o, String detail, String jeton, String certifiee) {
        stats.codeRetour(o.code);
        return json(o.status, Map.of(), map("codeRetour", o.code,
                "message", detail == null ? o.message : o.message + " : " + detail,
                "jetonUsager", jeton, "topIdentiteCertifiee", certifiee));
    }

    private LocalDate parseBirthDate(String s) {
        if (!DATE.matcher(s).matches()) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(s);
            return d.isAfter(today()) || d.getYear() < 1900 ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------- person-scoped

    /**
     * The person designated by the call's jeton usager, once the token has {@code profil_accedant} and the
     * {@code scope}, and the agent headers are present; else refuses (401, 403, 400, then 401 for the jeton).
     */
    private Usager person(Call call, String scope) {
        Token token = authorize(call, Scopes.PROFIL_ACCEDANT, scope);
        List<String> missing = new ArrayList<>();
        if (call.h(JETON_HEADER) == null) {
            missing.add(JETON_HEADER);
        }
        for (String h : AGENT_HEADERS) {
            if (call.h(h) == null) {
                missing.add(h);
            }
        }
        if (!missing.isEmpty()) {
            throw new Refused(error(400, "ENTETE_MANQUANTE", "En-tête(s) obligatoire(s) absent(s) : "
                    + String.join(", ", missing)));
        }
        String agent = call.h("pa-identifiant-agent");
        if (!AGENT_ID.matcher(agent).matches()) {
            throw new Refused(error(400, "ENTETE_INVALIDE",
                    "pa-identifiant-agent : identifiant d'agent (1 à 30 caractères [A-Za-z0-9_-]) ou BATCH attendu"));
        }
        for (String h : List.of("pa-nom-agent", "pa-prenom-agent")) {
            if (call.h(h).length() > 100) {
                throw new Refused(error(400, "ENTETE_INVALIDE", h + " : 100 caractères au plus"));
            }
        }
        Jeton j = jetons.get(call.h(JETON_HEADER));
        if (j == null || !j.clientId().equals(token.clientId())) {
            throw new Refused(error(401, "JETON_USAGER_INVALIDE", "Jeton usager inconnu"));
        }
        if (!clock.instant().isBefore(j.expiry())) {
            jetons.remove(call.h(JETON_HEADER));
            throw new Refused(error(401, "JETON_USAGER_INVALIDE", "Jeton usager expiré"));
        }
        Usager u = byNumero.get(j.numero());
        if (u == null) {
            // the person was registered again under another numéro since this jeton was issued
            throw new Refused(error(401, "JETON_USAGER_INVALIDE", "Jeton usager inconnu"));
        }
        return u;
    }

    private Answer personData(Call call, String scope, Function<Usager, Map<String, Object>> data) {
        Usager u = person(call, scope);
        Map<String, Object> body = data.apply(u);
        return body == null ? new Answer(204, Map.of(), null) : json(200, Map.of(), body);
    }

    private Answer pushOrientation(Call call) {
        Usager u = person(call, Scopes.ORIENTATION);
        JsonNode body = parseJson(call);
        if (body == null || !body.isObject()) {
            return error(400, "REQUETE_INVALIDE", "corps JSON attendu : {origine, parcours, organisme}");
        }
        String origine = text(body, "origine");
        String parcours = text(body, "parcours");
        String organisme = text(body, "organisme");
        List<String> problems = new ArrayList<>();
        if (origine == null || !CODE.matcher(origine).matches()) {
            problems.add("origine : code obligatoire (majuscules, chiffres, _ ; 64 caractères au plus)");
        }
        if (parcours == null || !PARCOURS.contains(parcours)) {
            problems.add("parcours : PED, PSP ou PSO");
        }
        if (organisme == null || !ORGANISMES_ORIENTATION.contains(organisme)) {
            problems.add("organisme : " + sorted(ORGANISMES_ORIENTATION));
        }
        if (!problems.isEmpty()) {
            return error(400, "REQUETE_INVALIDE", String.join(" ; ", problems));
        }
        String agent = call.h("pa-identifiant-agent");
        LocalDate today = today();
        Map<String, Object> o = orientation(u, parcours, organisme, origine, agent, "CD", today);
        List<Map<String, Object>> list = orientationsOf(u);
        synchronized (list) {
            if (!list.isEmpty()) {
                Map<String, Object> previous = list.get(list.size() - 1);
                previous.put("etat", "CLOS");
                previous.put("date_sortie_parcours", today.toString());
                previous.put("motif_sortie_parcours", "NOUVELLE_ORIENTATION");
                previous.put("date_modification", today.toString());
            }
            list.add(o);
        }
        stats.count(Stats.ORIENTATIONS_STORED);
        return json(201, Map.of(), o);
    }

    private Answer readOrientation(Call call) {
        Usager u = person(call, Scopes.ORIENTATION);
        List<Map<String, Object>> list = orientationsOf(u);
        synchronized (list) {
            if (list.isEmpty()) {
                return new Answer(204, Map.of(), null);
            }
            return json(200, Map.of(), List.of(list.get(list.size() - 1)));
        }
    }

    private List<Map<String, Object>> orientationsOf(Usager u) {
        return orientations.computeIfAbsent(u.numeroFranceTravail(), k -> {
            List<Map<String, Object>> list = new ArrayList<>();
            if (u.orientationInitiale()) {
                LocalDate date = Payloads.dateInscription(u, today()).plusDays(15);
                list.add(orientation(u, "PED", "FT", "INSCRIPTION_CONSEILLER_FT", "FT" + String.format("%06d",
                        u.pick(20, 1_000_000)), "FT", date));
            }
            return list;
        });
    }

    private Map<String, Object> orientation(Usager u, String parcours, String organisme, String origine,
            String agent, String decidedBy, LocalDate date) {
        Map<String, Object> structure = switch (organisme) {
            case "FT" -> Payloads.agence(u);
            case "CD" -> map("code_aurore", null, "code_safir", null,
                    "libelle_structure", "Conseil départemental de l'Aisne");
            default -> map("code_aurore", null, "code_safir", null, "libelle_structure", organisme);
        };
        Map<String, Object> decision = decidedBy.equals("FT") ? Payloads.agence(u)
                : map("code_aurore", null, "code_safir", null, "libelle_structure", "Conseil départemental de l'Aisne");
        return map(
                "parcours", parcours,
                "organisme", organisme,
                "origine", origine,
                "structure", structure,
                "structure_decision", decision,
                "statut", "DECIDE",
                "etat", "OUVERT",
                "agent_creation", agent,
                "agent_derniere_modification", agent,
                "date_entree_parcours", date.toString(),
                "date_sortie_parcours", null,
                "motif_sortie_parcours", null,
                "date_creation", date.toString(),
                "date_modification", date.toString(),
                "criteres_orientation", Payloads.criteres(u, origine, date),
                "decision", map("etat_decision", "VALIDEE", "date_decision", date.toString(),
                        "agent_decision", agent, "organisme_decision", decidedBy));
    }

    // ---------------------------------------------------------------------------------------------- rendez-vous

    private Answer createRendezVous(Call call) {
        Usager u = person(call, Scopes.RENDEZ_VOUS);
        Map<String, Object> data = rendezVousBody(call, null);
        String id = UUID.randomUUID().toString();
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("id", id);
        data.remove("id");
        stored.putAll(data);
        rendezVous.put(id, new RendezVous(u.numeroFranceTravail(), stored));
        stats.count(Stats.APPOINTMENTS_CREATED);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", RENDEZ_VOUS + "/" + id);
        return json(201, headers, stored);
    }

    private Answer updateRendezVous(Call call, String pathId) {
        Usager u = person(call, Scopes.RENDEZ_VOUS);
        Map<String, Object> data = rendezVousBody(call, pathId);
        String id = pathId != null ? pathId : (String) data.get("id");
        RendezVous existing = rendezVous.get(id);
        if (existing == null || !existing.numero().equals(u.numeroFranceTravail())) {
            return error(404, "RENDEZ_VOUS_INCONNU", "Rendez-vous inconnu pour cet usager");
        }
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("id", id);
        data.remove("id");
        stored.putAll(data);
        rendezVous.put(id, new RendezVous(u.numeroFranceTravail(), stored));
        stats.count(Stats.APPOINTMENTS_UPDATED);
        return json(200, Map.of(), stored);
    }

    private Answer cancelRendezVous(Call call, String id) {
        Usager u = person(call, Scopes.RENDEZ_VOUS);
        RendezVous existing = rendezVous.get(id);
        if (existing == null || !existing.numero().equals(u.numeroFranceTravail())) {
            return error(404, "RENDEZ_VOUS_INCONNU", "Rendez-vous inconnu pour cet usager");
        }
        rendezVous.remove(id);
        stats.count(Stats.APPOINTMENTS_CANCELLED);
        return new Answer(204, Map.of(), null);
    }

    /** The checked body of a create or update; {@code pathId} is the id in the path of a PUT, if any. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> rendezVousBody(Call call, String pathId) {
        JsonNode body = parseJson(call);
        if (body == null || !body.isObject()) {
            throw new Refused(error(400, "REQUETE_INVALIDE", "corps JSON attendu"));
        }
        List<String> problems = new ArrayList<>();
        String date = text(body, "date");
        if (date == null || !isDateTime(date)) {
            problems.add("date : date et heure ISO 8601 obligatoires (ex. 2025-03-14T09:30:00+01:00)");
        }
        JsonNode duree = body.get("duree");
        if (duree == null || !duree.isIntegralNumber() || duree.intValue() < 1 || duree.intValue() > 480) {
            problems.add("duree : nombre entier de minutes entre 1 et 480");
        }
        enumField(body, "modaliteContact", MODALITES, problems);
        enumField(body, "motif", MOTIFS_RDV, problems);
        enumField(body, "initiateur", INITIATEURS, problems);
        enumField(body, "statut", STATUTS_RDV, problems);
        enumField(body, "typeReception", TYPES_RECEPTION, problems);
        JsonNode organisme = body.get("organisme");
        if (organisme == null || !organisme.isObject()) {
            problems.add("organisme : objet {code, idStructure, libelleStructure...} obligatoire");
        } else {
            enumField(organisme, "code", ORGANISMES_RDV, problems);
        }
        String bodyId = text(body, "id");
        if (pathId == null && call.method().equals("PUT") && bodyId == null) {
            problems.add("id : obligatoire pour une modification");
        }
        if (pathId != null && bodyId != null && !bodyId.equals(pathId)) {
            problems.add("id : différent de celui du chemin");
        }
        if (!problems.isEmpty()) {
            throw new Refused(error(400, "REQUETE_INVALIDE", String.join(" ; ", problems)));
        }
        return MAPPER.convertValue(body, LinkedHashMap.class);
    }

    private static void enumField(JsonNode node, String field, Set<String> values, List<String> problems) {
        String v = text(node, field);
        if (v == null || !values.contains(v)) {
            problems.add(field + " : " + sorted(values));
        }
    }

    private static boolean isDateTime(String s) {
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(s);
                return true;
            } catch (DateTimeParseException e2) {
                return false;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- control

    private Answer control(Call call) {
        String p = call.path();
        String m = call.method();
        switch (p) {
            case "/double/control":
                allow(m, "GET", "POST");
                if (m.equals("POST")) {
                    JsonNode body = parseJson(call);
                    try {
                        Behaviour next = behaviour.get().with(body);
                        behaviour.set(next);
                        LOG.info("France Travail double: behaviour now {}", next);
                    } catch (IllegalArgumentException e) {
                        return error(400, "REQUETE_INVALIDE", e.getMessage());
                    }
                }
                return json(200, Map.of(), behaviour.get().toMap());
            case "/double/control/reset":
                allow(m, "POST");
                reset();
                return json(200, Map.of(), behaviour.get().toMap());
            case "/double/control/disconnect":
                allow(m, "POST");
                JsonNode body = parseJson(call);
                JsonNode seconds = body == null ? null : body.get("seconds");
                if (seconds == null || !seconds.isIntegralNumber() || seconds.intValue() < 1 || seconds.intValue() > 600) {
                    return error(400, "REQUETE_INVALIDE", "seconds : entier entre 1 et 600 attendu");
                }
                if (!disconnector.test(seconds.longValue() * 1000)) {
                    return error(409, "CONFLIT", "Écoute déjà coupée ou double arrêté");
                }
                LOG.info("France Travail double: connections refused for {} s", seconds.intValue());
                return json(202, Map.of(), map("refusedForSeconds", seconds.intValue()));
            case "/double/control/usagers":
                allow(m, "POST");
                return register(call);
            case "/double/stats":
                allow(m, "GET");
                return json(200, Map.of(), stats());
            default:
                return error(404, "RESSOURCE_INCONNUE", "Ressource de contrôle inconnue");
        }
    }

    /** Behaviour back to the settings; counters, rate windows, persons, jetons, orientations, appointments emptied. Tokens stay valid. */
    void reset() {
        behaviour.set(settings.behaviour());
        limiter.clear();
        stats.clear();
        jetons.clear();
        registered.clear();
        byNir.clear();
        byNumero.clear();
        orientations.clear();
        rendezVous.clear();
        failuresSoFar.clear();
        LOG.info("France Travail double: reset");
    }

    Map<String, Object> stats() {
        Instant now = clock.instant();
        Map<String, Object> live = new LinkedHashMap<>();
        live.put("tokensActive", tokens.values().stream().filter(t -> now.isBefore(t.expiry())).count());
        live.put("jetonsActive", jetons.values().stream().filter(j -> now.isBefore(j.expiry())).count());
        live.put("appointmentsStored", rendezVous.size());
        live.put("personsRegistered", registered.size());
        return stats.toMap(live);
    }

    private Answer register(Call call) {
        JsonNode body = parseJson(call);
        if (body == null || !body.isObject()) {
            return error(400, "REQUETE_INVALIDE", "corps JSON attendu");
        }
        String nir = text(body, "nir");
        String problem = Nir.problem(nir);
        if (problem != null) {
            return error(400, "REQUETE_INVALIDE", problem);
        }
        String date = text(body, "dateNaissance");
        LocalDate birth = date == null ? null : parseBirthDate(date);
        if (birth == null) {
            return error(400, "REQUETE_INVALIDE", "dateNaissance : date passée au format yyyy-MM-dd obligatoire");
        }
        Outcome outcome;
        String code = text(body, "codeRetour");
        JsonNode status = body.get("statutHttp");
        switch (code == null ? "S001" : code) {
            case "S001" -> outcome = Outcome.S001;
            case "S002" -> outcome = Outcome.S002;
            case "S003" -> outcome = Outcome.S003;
            case "R001" -> outcome = Outcome.R001;
            case "R998" -> outcome = status != null && status.asInt() == 502 ? Outcome.R998_502 : Outcome.R998_500;
            case "R999" -> outcome = Outcome.R999;
            default -> {
                return error(400, "REQUETE_INVALIDE", "codeRetour : S001, S002, S003, R001, R998 ou R999");
            }
        }
        Usager derived = Fixtures.fromNir(nir, birth);
        String numero = text(body, "numeroFranceTravail");
        if (numero == null) {
            numero = derived.numeroFranceTravail();
        } else if (!NUMERO.matcher(numero).matches()) {
            return error(400, "REQUETE_INVALIDE", "numeroFranceTravail : 11 chiffres");
        }
        Usager previous = byNumero.get(numero);
        if (previous != null && !previous.nir().equals(nir)) {
            return error(409, "CONFLIT", "numeroFranceTravail déjà attribué à une autre personne");
        }
        String certifiee = text(body, "topIdentiteCertifiee");
        Usager u = new Usager(numero, nir, birth, outcome, !"N".equals(certifiee),
                bool(body, "inscrit", true), bool(body, "informationsAdministratives", true), bool(body, "rqth", false),
                bool(body, "orientation", false), upperOr(text(body, "nom"), derived.nom()),
                upperOr(text(body, "prenom"), derived.prenom()));
        Usager old = registered.put(nir, u);
        if (old != null) {
            byNumero.remove(old.numeroFranceTravail());
            orientations.remove(old.numeroFranceTravail());
        }
        byNir.put(nir, u);
        byNumero.put(numero, u);
        return json(201, Map.of(), map("numeroFranceTravail", numero, "codeRetour", outcome.code));
    }

    private static String upperOr(String value, String fallback) {
        return value == null ? fallback : value.toUpperCase();
    }

    private static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? fallback : v.asBoolean(fallback);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), PARIS);
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Forgets expired tokens and jetons every 1000 issuances. */
    private void purgeNowAndThen() {
        if (issued.incrementAndGet() % 1000 == 0) {
            Instant now = clock.instant();
            tokens.values().removeIf(t -> !now.isBefore(t.expiry()));
            jetons.values().removeIf(j -> !now.isBefore(j.expiry()));
        }
    }

    private JsonNode parseJson(Call call) {
        if (call.body() == null || call.body().length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(call.body());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) {
            return null;
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", new java.util.TreeSet<>(values));
    }

    private static Map<String, String> form(Call call) {
        return call.body() == null ? Map.of() : parseForm(new String(call.body(), StandardCharsets.UTF_8));
    }

    static Map<String, String> parseForm(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return m;
        }
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.putIfAbsent(k, v);
        }
        return m;
    }

    private static Answer error(int status, String code, String message) {
        return json(status, Map.of(), map("code", code, "message", message));
    }

    private static Answer json(int status, Map<String, String> headers, Object body) {
        try {
            return new Answer(status, headers, MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
