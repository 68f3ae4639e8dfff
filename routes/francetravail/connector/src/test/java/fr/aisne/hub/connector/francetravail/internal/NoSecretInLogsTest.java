package fr.aisne.hub.connector.francetravail.internal;

import static fr.aisne.hub.connector.francetravail.internal.Fixture.JETON;
import static fr.aisne.hub.connector.francetravail.internal.Fixture.NIR_A;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail.Response;
import fr.aisne.hub.connector.francetravail.testing.TestClients;

/** Whatever happens, the log lines, details and reasons never carry the secret, a token, a jeton or a NIR. */
public class NoSecretInLogsTest extends FixtureTestSupport {
    @Test
    public void logsDetailsAndReasonsStayClean() throws Exception {
        List<String> said = new ArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Fixture f = newFixture(Map.of())) {
            String person = f.person(NIR_A, "1985-05-12");
            f.searchFinds("12533590042");
            f.fake.on("POST", FranceTravailClient.ORIENTATION, r -> Response.json(201, "{}"));
            f.fake.on("GET", FranceTravailClient.LECTURE_ORIENTATION, r -> Response.json(429, "{}").withHeader("Retry-After", "600"));
            said.add(f.runtime.identification.identify(person, "ex-1", f.runtime.settings.agent()).detail());
            try {
                f.runtime.persons.orientation(person, "PSO", "CD", f.runtime.settings.agent(), "ex-2");
            } catch (Exception e) {
                said.add(e.getMessage());
            }
            f.fake.on("POST", FranceTravailClient.RECHERCHER_PAR_NIR, r -> Response.json(400,
                    "{\"codeRetour\":\"R997\",\"message\":\"nir " + NIR_A + " refusé\"}"));
            f.runtime.store.forgetJeton(person);
            f.runtime.store.recordIdentification(person, "NOT_FOUND", "S002", null, null, "ex-0", Fixture.NOW);
            try {
                Deliveries.run((p, id) -> f.runtime.identification.identify(person, id, f.runtime.settings.agent()).detail(),
                        fr.aisne.hub.api.Json.MAPPER.createObjectNode(), "ex-3");
            } catch (Exception e) {
                said.add(e.getMessage());
            }
            f.fake.acceptSecret("rotated");
            f.clock.advance(java.time.Duration.ofHours(2));
            try {
                f.runtime.persons.refresh(person, f.runtime.settings.agent(), "ex-4");
            } catch (Exception e) {
                said.add(e.getMessage());
            }
            said.add(f.runtime.health().detail());
            said.add(f.runtime.settings.describe().toString());
        } finally {
            System.setErr(previous);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue("the scenario did log", log.contains("France Travail"));
        said.add(log);
        for (String s : said) {
            for (String forbidden : new String[] {TestClients.SECRET, "tok-1", "tok-2", JETON, NIR_A}) {
                assertFalse("'" + forbidden + "' in: " + s, s.contains(forbidden));
            }
        }
    }
}
