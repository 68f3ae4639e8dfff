package fr.aisne.hub.connector.francetravail.internal;

import static fr.aisne.hub.api.testing.DeliveryFailures.permanent;
import static fr.aisne.hub.api.testing.DeliveryFailures.temporary;

import static fr.aisne.hub.connector.francetravail.internal.Fixture.JETON;
import static fr.aisne.hub.connector.francetravail.internal.Fixture.NIR_A;
import static fr.aisne.hub.connector.francetravail.internal.Fixture.NIR_B;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.client.FtException;
import fr.aisne.hub.connector.francetravail.client.TokenManager;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail.Response;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.Access;
import fr.aisne.hub.registry.ConsolidatedPerson;

/** Identification through the delivery path, over a real registry (Derby) and a fake France Travail. */
public class IdentificationTest extends FixtureTestSupport {
    @Before
    public void setUp() throws Exception {
        newFixture(Map.of());
    }

    /** The delivery of one france-travail/identification exchange, as the core runs it. */
    private String deliver(String personId, String exchangeId) throws Exception {
        ObjectNode payload = Json.MAPPER.createObjectNode().put("personId", personId);
        return Deliveries.run((p, id) -> f.runtime.identification.identify(Payloads.person(p).personId(), id,
                f.runtime.settings.agent()).detail(), payload, exchangeId);
    }

    private void searchAnswers(int status, String body) {
        f.fake.on("POST", FranceTravailClient.RECHERCHER_PAR_NIR, r -> Response.json(status, body));
    }

    @Test
    public void s001RecordsTheNumberInTheRegistryAndKeepsTheJetonEncrypted() throws Exception {
        String person = f.person(NIR_A, "1985-05-12");
        f.searchFinds("12533590042");

        String detail = deliver(person, "ex-1");

        assertTrue(detail, detail.startsWith("France Travail identified the person by NIR and birth date (S001"));
        assertTrue(detail, detail.contains("number recorded as france-travail:numero"));
        // what was sent: NIR and birth date from the registry (disclosed and logged), with the agent headers
        FakeFranceTravail.Request sent = f.fake.requests(FranceTravailClient.RECHERCHER_PAR_NIR).get(0);
        // the NIR as rechercher-usager wants it: the registry's 13 characters and the key
        String nir15 = Identification.withKey(NIR_A);
        assertEquals(15, nir15.length());
        assertEquals(NIR_A, nir15.substring(0, 13));
        assertTrue(sent.body(), sent.body().contains("\"nir\":\"" + nir15 + "\"") && sent.body().contains("\"dateNaissance\":\"1985-05-12\""));
        assertEquals("agent-42", sent.header("pa-identifiant-agent"));
        // the registry: number recorded on this person, provenance france-travail, this exchange
        ConsolidatedPerson p = f.registry.find(person).orElseThrow();
        ConsolidatedPerson.Identifier id = p.identifiers().stream().filter(i -> i.partner().equals("france-travail"))
                .findFirst().orElseThrow();
        assertEquals("12533590042", id.value());
        assertEquals("france-travail", id.source().partner());
        assertEquals("ex-1", id.source().exchangeId());
        assertEquals("O", p.attributes().get("ft_identite_certifiee").value());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> disclosures = (List<Map<String, Object>>) f.registry
                .subjectAccess(person, new Access("test", Access.SUBJECT_ACCESS)).orElseThrow()
                .get("disclosures");
        assertTrue(disclosures.toString(), disclosures.toString().contains("identification"));
        // the jeton: stored encrypted with its expiry, never in clear
        String stored = f.column("SELECT jeton FROM ft_jeton WHERE person_id = '" + person + "'");
        assertTrue(stored.startsWith("ENC("));
        assertFalse(stored.contains(JETON));
        assertEquals(JETON, f.runtime.store.validJeton(person, Fixture.NOW).orElseThrow().value());
        assertEquals("IDENTIFIED", f.column("SELECT status FROM ft_identification WHERE person_id = '" + person + "'"));
        assertFalse(detail.contains(JETON));
    }

    @Test
    public void numberMissingFromTheSearchIsReadFromInformationsAdministratives() throws Exception {
        String person = f.person(NIR_A, "1985-05-12");
        f.searchFinds(null);
        f.fake.on("GET", FranceTravailClient.INFORMATIONS_ADMINISTRATIVES, r -> Response.json(200,
                "{\"numeroFranceTravail\":\"76543210042\",\"etatCivil\":{\"nom\":\"LEFEVRE\"},\"dateInscription\":\"2025-01-06\","
                + "\"structureSuivi\":{\"codeAurore\":\"HDF0201\",\"codeSafir\":\"02001\",\"libelle\":\"Agence Laon\"}}"));

        deliver(person, "ex-1");

        assertEquals(JETON, f.fake.requests(FranceTravailClient.INFORMATIONS_ADMINISTRATIVES).get(0).header("ft-jeton-usager"));
        ConsolidatedPerson p = f.registry.find(person).orElseThrow();
        assertEquals("76543210042", f.runtime.identification.registryNumero(person).orElseThrow());
        assertEquals("Agence Laon", p.attributes().get("ft_structure_libelle").value());
        assertEquals("02001", p.attributes().get("ft_structure_code").value());
        assertEquals("2025-01-06", p.attributes().get("ft_date_inscription").value());
    }

    @Test
    public void cafIdassedicIsNotSearchedByButKeptAlongsideFranceTravailsNumber() throws Exception {
        // The CAF flux records its IDASSEDIC (7 digits and a letter) as france-travail:numero, source caf.
        String person = f.registry.observe(new fr.aisne.hub.registry.PersonObservation("caf", "ex-caf", Fixture.NOW, NIR_A,
                Map.of("france-travail:numero", "1234567X"), Map.of("nom_naissance", "LEFEVRE", "prenom", "Jean",
                        "date_naissance", "1985-05-12"), null)).personId();
        f.searchFinds(null);
        f.fake.on("GET", FranceTravailClient.INFORMATIONS_ADMINISTRATIVES, r -> Response.json(200,
                "{\"numeroFranceTravail\":\"76543210042\"}"));

        String detail = deliver(person, "ex-1");

        assertTrue(detail, detail.contains("by NIR and birth date"));
        assertTrue(f.fake.requests(FranceTravailClient.RECHERCHER_PAR_NUMERO).isEmpty());
        assertEquals("the number France Travail gave comes first", "76543210042",
                f.runtime.identification.registryNumero(person).orElseThrow());
        assertEquals(2, f.registry.find(person).orElseThrow().identifiers().stream()
                .filter(i -> i.partner().equals("france-travail")).count());
    }

    @Test
    public void s002AndS003NeedAHumanAndCompleteWithoutRetry() throws Exception {
        String nobody = f.person(NIR_A, "1985-05-12");
        String several = f.person(NIR_B, "1992-03-02");
        searchAnswers(200, "{\"codeRetour\":\"S002\",\"message\":\"Aucun approchant trouvé\"}");
        String d2 = deliver(nobody, "ex-2");
        assertTrue(d2, d2.contains("S002") && d2.contains("needs a human"));
        searchAnswers(200, "{\"codeRetour\":\"S003\",\"message\":\"Plusieurs approchants trouvés\"}");
        String d3 = deliver(several, "ex-3");
        assertTrue(d3, d3.contains("S003") && d3.contains("needs a human"));

        assertEquals("NOT_FOUND", f.column("SELECT status FROM ft_identification WHERE person_id = '" + nobody + "'"));
        assertEquals("S002", f.column("SELECT code FROM ft_identification WHERE person_id = '" + nobody + "'"));
        assertEquals("SEVERAL", f.column("SELECT status FROM ft_identification WHERE person_id = '" + several + "'"));
        assertNull(f.column("SELECT jeton FROM ft_jeton"));
        assertTrue(f.registry.find(nobody).orElseThrow().identifiers().stream().noneMatch(i -> i.partner().equals("france-travail")));
        Health h = f.runtime.health();
        assertTrue(h.detail(), h.detail().contains("2 need a human"));
    }

    @Test
    public void r001RefusedIsQuarantinedAtOnceWithItsReason() throws Exception {
        String person = f.person(NIR_A, "1985-05-12");
        searchAnswers(403, "{\"codeRetour\":\"R001\",\"message\":\"Accès refusé\"}");
        DeliveryFailure e = permanent(() -> deliver(person, "ex-4"));
        assertTrue(e.getMessage(), e.getMessage().contains("France Travail refused rechercher-usager (R001"));
        assertTrue(e.getMessage().contains("not retried"));
        assertFalse(e.getMessage().contains(NIR_A));
        assertEquals("REFUSED", f.column("SELECT status FROM ft_identification WHERE person_id = '" + person + "'"));
    }

    @Test
    public void r997InvalidIsQuarantinedWithItsReason() throws Exception {
        String person = f.person(NIR_A, "1985-05-12");
        searchAnswers(400, "{\"codeRetour\":\"R997\",\"message\":\"Requête invalide\"}");
        DeliveryFailure e = permanent(() -> deliver(person, "ex-5"));
        assertTrue(e.getMessage(), e.getMessage().contains("R997"));
        assertEquals("INVALID", f.column("SELECT status FROM ft_identification WHERE person_id = '" + person + "'"));
    }

    @Test
    public void r998AndR999AreLeftToTheCoreRetries() throws Exception {
        String person = f.person(NIR_A, "1985-05-12");
        searchAnswers(500, "{\"codeRetour\":\"R998\",\"message\":\"Erreur du partenaire\"}");
        DeliveryFailure r998 = temporary(() -> deliver(person, "ex-6"));
        assertTrue(r998.getMessage(), r998.getMessage().contains("R998"));
        searchAnswers(503, "{\"codeRetour\":\"R999\",\"message\":\"Service indisponible\"}");
        DeliveryFailure r999 = temporary(() -> deliver(person, "ex-6"));
        assertTrue(r999.getMessage(), r999.getMessage().contains("R999"));
        assertNull("nothing recorded for a human", f.column("SELECT status FROM ft_identification"));
    }

    @Test
    public void knownNumberIsUsedInsteadOfTheNir() throws Exception {
        String person = f.person(NIR_A, "1985-05-12");
        f.searchFinds("12533590042");
        deliver(person, "ex-1");
        f.fake.clear();

        String detail = deliver(person, "ex-2");

        assertTrue(detail, detail.contains("by France Travail number"));
        assertTrue(f.fake.requests(FranceTravailClient.RECHERCHER_PAR_NIR).isEmpty());
        FakeFranceTravail.Request r = f.fake.requests(FranceTravailClient.RECHERCHER_PAR_NUMERO).get(0);
        assertEquals("{\"numeroFranceTravail\":\"12533590042\"}", r.body());
    }

    @Test
    public void jetonIsReusedUntilItExpiresThenRenewed() throws Exception {
        String person = f.person(NIR_A, "1985-05-12");
        f.searchFinds("12533590042");
        Identification ident = f.runtime.identification;
        assertEquals(JETON, ident.jeton(person, "ex-1", f.runtime.settings.agent(), "test"));
        assertEquals(JETON, ident.jeton(person, "ex-2", f.runtime.settings.agent(), "test"));
        assertEquals(1, f.fake.requests(FranceTravailClient.RECHERCHER_PAR_NIR).size());

        f.clock.advance(f.runtime.settings.jetonTtl().plus(Duration.ofSeconds(1)));
        ident.jeton(person, "ex-3", f.runtime.settings.agent(), "test");
        assertEquals("renewed by number", 1, f.fake.requests(FranceTravailClient.RECHERCHER_PAR_NUMERO).size());
    }

    @Test
    public void personWithoutNirOrBirthDateNeedsData() throws Exception {
        String person = f.person(null, "1970-01-30");
        String detail = deliver(person, "ex-7");
        assertTrue(detail, detail.contains("no NIR") && detail.contains("needs a human"));
        assertEquals("MISSING_DATA", f.column("SELECT status FROM ft_identification WHERE person_id = '" + person + "'"));
        assertEquals(0, f.fake.requests().size());
    }

    @Test
    public void unknownPersonIsQuarantined() {
        DeliveryFailure e = permanent(() -> deliver("no-such-person", "ex-8"));
        assertTrue(e.getMessage(), e.getMessage().contains("not in the registry"));
    }

    @Test
    public void refusedClientSecretShowsInHealthAndInTheExchangeReason() throws Exception {
        String person = f.person(NIR_A, "1985-05-12");
        f.fake.acceptSecret("the-new-secret");
        DeliveryFailure e = temporary(() -> deliver(person, "ex-9"));
        assertEquals(TokenManager.INVALID_CLIENT, e.getMessage());
        Health h = f.runtime.health();
        assertFalse(h.up());
        assertTrue(h.detail(), h.detail().startsWith(TokenManager.INVALID_CLIENT));
        assertFalse(h.detail().contains(fr.aisne.hub.connector.francetravail.testing.TestClients.SECRET));
    }
}
