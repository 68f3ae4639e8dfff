package fr.aisne.hub.connector.francetravail.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.FtSettings.Agent;
import fr.aisne.hub.api.Json;

/**
 * The France Travail partner APIs the hub uses, over {@link FtTransport} and {@link TokenManager}. Person-scoped
 * calls carry {@code Authorization: Bearer}, {@code ft-jeton-usager}, {@code pa-identifiant-agent},
 * {@code pa-nom-agent}, {@code pa-prenom-agent}. Answers are mapped to {@link FtException} kinds that say
 * whether retrying can help; messages carry France Travail's code, never a jeton, a token or a NIR.
 */
public final class FranceTravailClient {
    public static final String RECHERCHER_PAR_NIR = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir";
    public static final String RECHERCHER_PAR_NUMERO = "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail";
    public static final String ORIENTATION = "/partenaire/orientationusager/v1/orientation";
    public static final String LECTURE_ORIENTATION = "/partenaire/orientationusager/v1/lectureOrientation";
    public static final String CONTRAT = "/partenaire/contrat-usager/v2/contrat";
    public static final String INFORMATIONS_ADMINISTRATIVES = "/partenaire/informations-administratives/v1/usager";
    public static final String RQTH = "/partenaire/donnees-rqth/v1/rqth";
    public static final String RENDEZ_VOUS = "/partenaire/rendez-vous-partenaire/v1/rendez-vous";

    public static final String HEADER_JETON = "ft-jeton-usager";
    public static final String HEADER_AGENT_ID = "pa-identifiant-agent";
    public static final String HEADER_AGENT_NOM = "pa-nom-agent";
    public static final String HEADER_AGENT_PRENOM = "pa-prenom-agent";

    private final FtSettings settings;
    private final FtTransport transport;
    private final TokenManager tokens;

    /** What rechercher-usager answered (HTTP 200). The jeton is never printed. */
    public record Search(String codeRetour, String message, String jetonUsager, String topIdentiteCertifiee,
            String numeroFranceTravail) {
        @Override
        public String toString() {
            return "Search[codeRetour=" + codeRetour + ", topIdentiteCertifiee=" + topIdentiteCertifiee + "]";
        }
    }

    /** A partner answer: its status and its JSON body (null when empty or not JSON). */
    public record Answer(int status, JsonNode body) {
    }

    public FranceTravailClient(FtSettings settings, FtTransport transport, TokenManager tokens) {
        this.settings = settings;
        this.transport = transport;
        this.tokens = tokens;
    }

    public TokenManager tokens() {
        return tokens;
    }

    public FtTransport transport() {
        return transport;
    }

    /** rechercher-usager v2 by birth date (yyyy-MM-dd) and NIR. */
    public Search searchByNir(String nir, String birthDate, Agent agent) throws FtException, InterruptedException {
        return search(RECHERCHER_PAR_NIR, Map.of("dateNaissance", birthDate, "nir", nir), agent);
    }

    /** rechercher-usager v2 by France Travail number. */
    public Search searchByNumero(String numero, Agent agent) throws FtException, InterruptedException {
        return search(RECHERCHER_PAR_NUMERO, Map.of("numeroFranceTravail", numero), agent);
    }

    private Search search(String path, Map<String, String> body, Agent agent) throws FtException, InterruptedException {
        String what = "rechercher-usager";
        Answer a = call(FtSettings.RECHERCHER_USAGER, "POST", path, Json.MAPPER.valueToTree(body), null, agent, what);
        JsonNode b = a.body();
        String code = TokenManager.text(b, "codeRetour");
        String message = TokenManager.text(b, "message");
        int status = a.status();
        if (status == 200 && code != null && code.matches("S00[123]")) {
            return new Search(code, message, TokenManager.text(b, "jetonUsager"), TokenManager.text(b, "topIdentiteCertifiee"),
                    firstText(b, "numeroFranceTravail", "identifiantFranceTravail", "numeroFT"));
        }
        throw failure(FtSettings.RECHERCHER_USAGER, what, status, code != null ? code : firstText(b, "code", "error"),
                message != null ? message : firstText(b, "error_description"));
    }

    /** A person-scoped read (GET): empty for 204 (no data) or 404. */
    public Optional<JsonNode> read(String call, String path, String jeton, Agent agent, String what)
            throws FtException, InterruptedException {
        Answer a = call(call, "GET", path, null, jeton, agent, what);
        if (a.status() == 204 || a.status() == 404) {
            return Optional.empty();
        }
        if (a.status() == 200) {
            return Optional.ofNullable(a.body());
        }
        throw failure(call, what, a.status(), firstText(a.body(), "codeRetour", "code", "error"),
                firstText(a.body(), "message", "error_description"));
    }

    /** A person-scoped write (POST, PUT, DELETE); 2xx is success. */
    public Answer write(String call, String method, String path, JsonNode body, String jeton, Agent agent, String what)
            throws FtException, InterruptedException {
        Answer a = call(call, method, path, body, jeton, agent, what);
        if (a.status() >= 200 && a.status() < 300) {
            return a;
        }
        throw failure(call, what, a.status(), firstText(a.body(), "codeRetour", "code", "codeErreur", "error"),
                firstText(a.body(), "message", "libelle", "error_description"));
    }

    /**
     * One call with a token for the call's scope set. A 401 makes it obtain a fresh token and try once more; a
     * second 401 on a person-scoped call means the jeton usager was refused.
     */
    private Answer call(String call, String method, String path, JsonNode body, String jeton, Agent agent, String what)
            throws FtException, InterruptedException {
        String scopes = settings.scopesOf(call);
        for (int attempt = 0;; attempt++) {
            String token = tokens.token(scopes);
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .header(HEADER_AGENT_ID, agent.id()).header(HEADER_AGENT_NOM, agent.nom())
                    .header(HEADER_AGENT_PRENOM, agent.prenom());
            if (jeton != null) {
                rb.header(HEADER_JETON, jeton);
            }
            if (body != null) {
                rb.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> r = transport.send(rb, what);
            if (r.statusCode() == 401) {
                tokens.invalidate(scopes, token);
                if (attempt == 0) {
                    continue;
                }
                if (jeton != null) {
                    throw new FtException(FtException.Kind.JETON_REJECTED, "401", "France Travail refused the jeton usager "
                            + "for " + what + " (401)");
                }
                throw new FtException(FtException.Kind.CREDENTIALS, "401", "France Travail refused the access token for "
                        + what + " (401): check scope." + call + " in etc/hub.connector.francetravail.cfg");
            }
            return new Answer(r.statusCode(), TokenManager.parse(r.body()));
        }
    }

    private static FtException failure(String call, String what, int status, String code, String message) {
        code = TokenManager.code(code);
        String c = code == null ? "HTTP " + status : code + ", HTTP " + status;
        String m = message == null ? "" : ": " + TokenManager.safe(message);
        if (status == 403 && "insufficient_scope".equals(code)) {
            // the token lacks a scope of the call: a settings matter, nothing about this person
            return new FtException(FtException.Kind.CREDENTIALS, code, "France Travail refused " + what + " (" + c + m
                    + "): the access token lacks a scope; check scope." + call + " in etc/hub.connector.francetravail.cfg");
        }
        // France Travail's own codes first: R998 upstream error, R999 unavailable, R001 refused, R997 invalid.
        if (status >= 500 || "R998".equals(code) || "R999".equals(code)) {
            return new FtException(FtException.Kind.RETRY_LATER, code == null ? Integer.toString(status) : code,
                    "France Travail failed on " + what + " (" + c + m + "); retried later");
        }
        if (status == 403 || "R001".equals(code)) {
            return new FtException(FtException.Kind.REFUSED, code == null ? "403" : code,
                    "France Travail refused " + what + " (" + c + m + "): the hub is not allowed this call for this person; "
                            + "not retried");
        }
        return new FtException(FtException.Kind.INVALID, code == null ? Integer.toString(status) : code,
                "France Travail rejected " + what + " as invalid (" + c + m + "); not retried");
    }

    static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = TokenManager.text(node, f);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
