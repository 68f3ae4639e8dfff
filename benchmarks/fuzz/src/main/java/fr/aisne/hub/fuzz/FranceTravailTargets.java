package fr.aisne.hub.fuzz;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.client.FtException;
import fr.aisne.hub.connector.francetravail.client.FtTransport;
import fr.aisne.hub.connector.francetravail.client.TokenManager;
import fr.aisne.hub.connector.francetravail.internal.FtFuzzBridge;
import fr.aisne.hub.core.guard.PartnerGuards;

/**
 * France Travail's answers, parsed by the connector's real code: {@link FtTransport} (statuses, 429 and
 * Retry-After, under the hub's real partner guard), {@link TokenManager} (the token endpoint's answer) and
 * {@link FranceTravailClient} (rechercher-usager, person-scoped reads and writes), then the mappings to registry
 * attributes. The input is an {@link HttpAnswer}. Everything is new for each input (a pause asked by one answer
 * does not hold the next). Settings: no rate limit, {@code retryAfter.maxWaitSeconds=0} (a Retry-After is never
 * slept on: the pause is still computed and set on the guard).
 */
final class FranceTravailTargets {
    private static final String GOOD_TOKEN = "HTTP 200\n\n{\"access_token\":\"fuzz-token\",\"token_type\":\"Bearer\",\"expires_in\":1499}";
    private static final FtSettings SETTINGS = settings();

    private FranceTravailTargets() {
    }

    private static FtSettings settings() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("baseUrl", "http://127.0.0.1:9");
        cfg.put("client.id", "aisne-hub");
        cfg.put("client.secret", "fuzz-secret-value");
        cfg.put("partner.ratePerSecond", "0");
        cfg.put("retryAfter.maxWaitSeconds", "0");
        return FtSettings.from(cfg);
    }

    /** The client, its transport and token manager, as FtRuntime assembles them, answering with {@code answers}. */
    private static FranceTravailClient client(Function<HttpRequest, HttpAnswer> answers) {
        Clock clock = Clock.systemUTC();
        FtTransport transport = new FtTransport(HttpAnswer.client(answers), SETTINGS.requestTimeout(),
                new PartnerGuards(clock).guard("france-travail", SETTINGS.limits()), SETTINGS.retryAfterMaxWait(),
                SETTINGS.retryAfterMaxRetries(), clock);
        TokenManager tokens = new TokenManager(transport, SETTINGS.tokenUrl(), SETTINGS.realm(), SETTINGS.clientId(),
                SETTINGS.clientSecret(), SETTINGS.renewBefore(), clock);
        return new FranceTravailClient(SETTINGS, transport, tokens);
    }

    /** The token endpoint gives the fuzzed answer to every request. */
    static FuzzTarget token() {
        return FuzzTarget.named("ft.token", "France Travail token endpoint answer: TokenManager, FtTransport (FtException)")
                .tokens(Tokens.HTTP_JSON)
                .parser(() -> in -> {
                    HttpAnswer a = HttpAnswer.parse(in);
                    client(r -> a).tokens().token(SETTINGS.scopesOf(FtSettings.RECHERCHER_USAGER));
                }, FuzzTarget.Refusals.of(FtException.class, e -> e.kind() + " " + e.getMessage()));
    }

    /** A good token; rechercher-usager gets the fuzzed answer. */
    static FuzzTarget rechercherUsager() {
        return FuzzTarget.named("ft.rechercher-usager", "France Travail rechercher-usager v2 answer: FranceTravailClient (FtException)")
                .tokens(Tokens.HTTP_JSON)
                .parser(() -> in -> {
                    FranceTravailClient c = client(answering(HttpAnswer.parse(in)));
                    c.searchByNir("185057800608491", "1985-05-31", SETTINGS.agent());
                }, FuzzTarget.Refusals.of(FtException.class, e -> e.kind() + " " + e.getMessage()));
    }

    /**
     * A good token; a person-scoped read (lectureOrientation) and a write (rendez-vous creation) get the fuzzed
     * answer; every mapping of an answer to registry attributes (orientation, contrat, informations-administratives,
     * number, RQTH) and the appointment id read what came back.
     */
    static FuzzTarget reads() {
        return FuzzTarget.named("ft.answers", "France Travail person-scoped answers: client read/write + FtMapping (FtException)")
                .tokens(Tokens.HTTP_JSON)
                .parser(() -> in -> {
                    FranceTravailClient c = client(answering(HttpAnswer.parse(in)));
                    Optional<JsonNode> read = c.read(FtSettings.ORIENTATION, FranceTravailClient.LECTURE_ORIENTATION,
                            "fuzz-jeton", SETTINGS.agent(), "lectureOrientation");
                    read.ifPresent(FtFuzzBridge::mapAll);
                    FranceTravailClient.Answer w = c.write(FtSettings.RENDEZ_VOUS, "POST", FranceTravailClient.RENDEZ_VOUS,
                            Json.MAPPER.createObjectNode().put("objet", "fuzz"), "fuzz-jeton", SETTINGS.agent(),
                            "rendez-vous (create)");
                    FtFuzzBridge.appointmentId(w.body());
                }, FuzzTarget.Refusals.of(FtException.class, e -> e.kind() + " " + e.getMessage()));
    }

    /** The connector's intake validators, each given the same payload; the refusal is what each said. */
    static FuzzTarget intake() {
        return FuzzTarget.named("ft.intake", "France Travail intake validators (identification, refresh, orientation, "
                + "rendez-vous, batch), one payload through all five: accepted = by all five")
                .validators(FtFuzzBridge::intakeValidators);
    }

    /** The token endpoint answers with a good token, every other call with {@code a}. */
    private static Function<HttpRequest, HttpAnswer> answering(HttpAnswer a) {
        HttpAnswer good = HttpAnswer.parse(GOOD_TOKEN.getBytes(StandardCharsets.UTF_8));
        return r -> r.uri().getPath().startsWith(SETTINGS.tokenUrl().getPath()) ? good : a;
    }
}
