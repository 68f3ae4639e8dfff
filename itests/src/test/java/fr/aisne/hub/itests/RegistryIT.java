package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.registry.Nir;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * "Dites-le nous une fois" in the real distribution: two partners tell the hub about the same person, the
 * registry keeps one record with both provenances; the department reads it without the NIR; the
 * disclosure filter drops what a partner may not receive; the subject-access export lists everything,
 * disclosures included; a probable match waits for an operator; and no NIR reaches the log.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RegistryIT extends HubTestSupport {
    /** Synthetic NIRs; their keys are computed, the 15-character forms carry them. */
    private static final String NIR = "1850578006084";
    private static final String NIR15 = NIR + String.format("%02d", Nir.key(NIR));
    private static final String OTHER = "2920633123045";

    @Inject
    PersonRegistry registry;

    private final List<ServiceRegistration<Connector>> connectors = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return hubDistribution();
    }

    @Before
    public void partnerConnectors() {
        awaitHealthUp();
        connectors.addAll(observationConnectors(registry, new String[] {"caf", "beneficiaires"},
                new String[] {"france-travail", "usagers"}, new String[] {"immersion-facilitee", "conventions"}));
    }

    @After
    public void removeConnectors() {
        connectors.forEach(ServiceRegistration::unregister);
        connectors.clear();
    }

    @Test
    public void onePersonTwoProvenancesDisclosureFilterSubjectAccessAndNoNirInTheLogs() throws Exception {
        String caf = send("/hub/in/caf/beneficiaires", "{\"nir\":\"" + NIR + "\","
                + "\"identifiers\":{\"caf:matricule\":\"1234567\"},"
                + "\"household\":{\"numorg\":\"021\",\"matricule\":\"1234567\",\"role\":\"DEM\"},"
                + "\"attributes\":{\"nom_naissance\":\"Lefèvre\",\"prenom\":\"Jean-Pierre\",\"date_naissance\":\"1985-05-12\","
                + "\"sexe\":\"M\",\"soumis_droits_devoirs\":\"1\",\"etat_dossier_rsa\":\"2\"}}");
        awaitState(caf, "DELIVERED", Duration.ofSeconds(30));
        assertTrue(http().get("/hub/api/messages/" + caf).body().contains("registry: ABSENT"));

        // France Travail sends the 15-character NIR, with spaces: the same person, recognised by its NIR.
        String spaced = NIR15.replaceAll("(.)(..)(..)(..)(...)(...)(..)", "$1 $2 $3 $4 $5 $6 $7");
        String ft = send("/hub/in/france-travail/usagers", "{\"nir\":\"" + spaced + "\","
                + "\"identifiers\":{\"france-travail:numero\":\"1253359X\"},"
                + "\"attributes\":{\"nom_naissance\":\"LEFEBVRE\",\"telephone\":\"0612345678\",\"ft_statut\":\"inscrit\"}}");
        awaitState(ft, "DELIVERED", Duration.ofSeconds(30));
        assertTrue(http().get("/hub/api/messages/" + ft).body().contains("registry: CERTAIN (nir)"));

        HubHttp.Response found = http().get("/hub/api/departement/persons?numeroFranceTravail=1253359X");
        assertEquals(found.body(), 200, found.status());
        String person = found.body();
        String personId = HubHttp.field(person, "id");
        assertEquals("one person", 1, count(person, "\"hasNir\""));
        assertTrue("CAF provenance: " + person, person.contains("\"exchangeId\":\"" + caf + "\""));
        assertTrue("France Travail provenance: " + person, person.contains("\"exchangeId\":\"" + ft + "\""));
        assertTrue("CAF is authoritative for the birth name, the other value is a visible conflict: " + person,
                person.matches("(?s).*\"nom_naissance\":\\{\"value\":\"Lefèvre\".*\"conflicts\":\\[\\{\"value\":\"LEFEBVRE\".*"));
        assertTrue(person, person.contains("\"telephone\":{\"value\":\"0612345678\",\"source\":{\"partner\":\"france-travail\""));
        assertTrue(person, person.contains("\"numorg\":\"021\""));
        assertFalse("the department's consultation does not include the NIR", person.contains(NIR));
        assertTrue(person, person.contains("\"nirMasked\":null"));
        assertEquals(personId, HubHttp.field(http().get("/hub/api/departement/persons?matriculeCaf=1234567&numorg=021").body(), "id"));

        // The disclosure filter: Immersion Facilitée may receive identity, not the NIR nor the phone number.
        Map<String, Object> sent = registry.disclose(personId, "immersion-facilitee", "convention", ft);
        assertEquals("Lefèvre", sent.get("nom_naissance"));
        assertEquals("1253359X", sent.get("id.france-travail.numero"));
        assertFalse(sent.toString(), sent.containsKey("nir"));
        assertFalse(sent.toString(), sent.containsKey("telephone"));

        // A probable match (no NIR, no identifier, close identity) waits for an operator.
        String imm = send("/hub/in/immersion-facilitee/conventions",
                "{\"attributes\":{\"nom_usage\":\"LEFEVRE\",\"prenom\":\"Jean\",\"date_naissance\":\"1985-05-12\",\"email\":\"jp@example.org\"}}");
        awaitState(imm, "DELIVERED", Duration.ofSeconds(30));
        String matches = http().get("/hub/api/departement/matches").body();
        assertTrue(matches, matches.contains("\"candidatePersonId\":\"" + personId + "\""));
        String candidate = HubHttp.field(matches, "id");
        HubHttp.Response confirm = http().post("/hub/api/departement/matches/" + candidate + "/confirm", "");
        assertEquals(confirm.body(), 200, confirm.status());
        assertTrue(http().get("/hub/api/departement/persons/" + personId).body()
                .contains("\"email\":{\"value\":\"jp@example.org\",\"source\":{\"partner\":\"immersion-facilitee\""));

        // Subject access (admin): everything, with every disclosure made.
        String sar = http().get("/hub/api/departement/persons/" + personId + "/subject-access").body();
        assertTrue(sar, sar.contains("\"nir\":\"" + NIR + "\""));
        assertTrue(sar, sar.contains("\"partner\":\"immersion-facilitee\",\"purpose\":\"convention\""));
        assertTrue(sar, sar.contains("\"partner\":\"departement\",\"purpose\":\"consultation\""));
        assertTrue(sar, sar.contains("LEFEBVRE") && sar.contains("\"status\":\"CONFIRMED\""));

        // An invalid NIR is rejected at the door, with the rule and never the value.
        String bad = OTHER + "00";
        HubHttp.Response rejected = http().post("/hub/in/caf/beneficiaires",
                "{\"nir\":\"" + bad + "\",\"attributes\":{\"prenom\":\"X\"}}", "X-Correlation-Id", "it-bad-nir");
        assertEquals(rejected.body(), 422, rejected.status());
        assertTrue(rejected.body(), rejected.body().contains("field nir: NIR key does not match"));
        assertFalse(rejected.body().contains(OTHER));
        String quarantined = http().get("/hub/api/messages/" + HubHttp.field(rejected.body(), "exchangeId")).body();
        assertTrue(quarantined, quarantined.contains("QUARANTINED"));

        // A form-encoded lookup: Camel logs the unparsable body; the log layer masks the NIR.
        http().postRaw("/hub/api/departement/persons/lookup-by-nir", "application/x-www-form-urlencoded",
                "{\"nir\":\"" + NIR + "\"}");
        HubHttp.Response byNir = http().post("/hub/api/departement/persons/lookup-by-nir", "{\"nir\":\"" + NIR15 + "\"}");
        assertTrue(byNir.body(), byNir.body().contains(personId));

        // Retention: a person who left the RSA long ago is purged with the payloads only they referred to.
        String gone = send("/hub/in/caf/beneficiaires", "{\"nir\":\"" + OTHER + "\","
                + "\"household\":{\"numorg\":\"021\",\"matricule\":\"7654321\",\"role\":\"DEM\"},"
                + "\"attributes\":{\"nom_naissance\":\"Martin\",\"prenom\":\"Zoé\",\"date_naissance\":\"1992-06-01\","
                + "\"etat_dossier_rsa\":\"5\",\"date_sortie_rsa\":\"2020-01-31\"}}");
        awaitState(gone, "DELIVERED", Duration.ofSeconds(30));
        assertTrue(http().get("/hub/api/messages/" + gone).body().contains("\"payloadAvailable\":true"));
        HubHttp.Response purge = http().post("/hub/api/departement/retention/run", "");
        assertEquals(purge.body(), 200, purge.status());
        assertTrue(purge.body(), purge.body().contains("\"personsPurged\":1"));
        assertTrue(purge.body(), purge.body().contains("\"payloadsPurged\":1"));
        assertEquals("[]", http().get("/hub/api/departement/persons?matriculeCaf=7654321").body());
        String journal = http().get("/hub/api/messages/" + gone).body();
        assertTrue("the journal keeps the record and digest, not the payload: " + journal,
                journal.contains("\"payloadAvailable\":false") && journal.contains("\"sha256\""));
        assertTrue("the person who did not leave is kept", http().get("/hub/api/departement/persons/" + personId)
                .status() == 200);

        assertNoNirInTheLog(NIR, NIR15, spaced, OTHER, bad);
    }

    private void assertNoNirInTheLog(String... nirs) throws Exception {
        Path log = Paths.get(System.getProperty("karaf.data"), "log", "karaf.log");
        String text = Files.readString(log);
        assertTrue("the log was written", text.contains("Registry started"));
        for (String nir : nirs) {
            assertFalse("a NIR of the test data appears in " + log, text.contains(nir));
        }
    }

    private String send(String path, String json) {
        return postRelay(path, json, "it-reg-" + UUID.randomUUID());
    }


}
