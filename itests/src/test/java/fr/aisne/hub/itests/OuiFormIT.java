package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * OuiForm in the real distribution (Karaf, Artemis, Derby, the hub's HTTP listener, the connector's CXF SOAP port),
 * against the OuiForm double over real HTTP and SOAP (port 18686):
 * <ol>
 * <li>(a) the hub's WSDL is served by CXF with its own address, parses, and carries the contract's port type and
 * operations; the Carif-Oref's weekly LHEO 2.3 file dropped into the inbox is imported with its habits (shared
 * action numero, 00000000/99999999, month/year-only dates, decimal-comma prices) and searchable by the department;
 * an LHEO 2.2 file is quarantined with that reason; the double publishes over SOAP and REST (round trips) and its
 * 2.2 publication is answered LHEO_VERSION_NON_SUPPORTEE;</li>
 * <li>(b) a prescription posted by the department with only the person's id reaches the double over SOAP with the
 * identity filled from the registry (no contact details), and the statuses the double sends back (positionne,
 * entre over SOAP; sorti over REST) land in the connector's tables, the registry (provenance ouiform) and the
 * department's event feed;</li>
 * <li>(c) a SOAP fault from OuiForm (SESSION_FERMEE) is quarantined at once with its fault string;</li>
 * <li>(d) an outage of OuiForm (HTTP 503, then connection refused) loses nothing: the prescriptions queued meanwhile
 * are delivered once it is back.</li>
 * </ol>
 * The core's retry schedule is scaled down here (0.5 s doubling up to 2 s, 60 attempts); the shipped one (30
 * attempts, 5 s doubling up to 5 min) is in etc/hub.connector.ouiform.cfg.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class OuiFormIT extends HubTestSupport {
    static final int OF_PORT = Ports.of(18686);
    static final int SOAP_PORT = Ports.of(18187);
    static final String CFG = "etc/hub.connector.ouiform.cfg";
    static final String DOUBLE_CFG = "etc/hub.double.ouiform.cfg";
    static final String REGION_PASSWORD = "region-pw-17";
    static final String PRESCRIBE = "/hub/in/departement/prescriptions-formation";
    static final String SIRET = "22020001700016";
    static final String REFERENT = ",\"referent\":{\"nom\":\"MARTIN\",\"courriel\":\"claire.martin@aisne.example\"}}";

    /** The registry starts late on a loaded machine: wait longer than Pax Exam's default 10 s for it. */
    @Inject
    @Filter(timeout = 120_000)
    PersonRegistry registry;

    @Inject
    @Filter(timeout = 120_000)
    DepartmentEvents events;

    /** Shared by the ordered methods (one container). */
    private static String person;

    @Configuration
    public Option[] config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("ouiform.soap.url", "http://127.0.0.1:" + OF_PORT + "/ouiform/soap/v1");
        c.put("ouiform.rest.url", "http://127.0.0.1:" + OF_PORT + "/ouiform/api");
        c.put("ouiform.password", "double-secret-change-me");
        c.put("soap.port", Integer.toString(SOAP_PORT));
        c.put("prescripteur.siret", SIRET);
        c.put("catalogue.stableSeconds", "1");
        c.put("http.connectTimeoutMs", "1000");
        c.put("http.requestTimeoutMs", "5000");
        c.put("partner.circuit.openSeconds", "2");
        c.put("retry.maxAttempts", "60");
        c.put("retry.initialDelayMs", "500");
        c.put("retry.multiplier", "2.0");
        c.put("retry.maxDelayMs", "2000");
        Map<String, String> d = new LinkedHashMap<>();
        d.put("http.port", Integer.toString(OF_PORT));
        d.put("hub.soap.url", "http://127.0.0.1:" + SOAP_PORT + "/ouiform/soap/v1");
        d.put("hub.rest.url", "http://127.0.0.1:" + HTTP_PORT + "/hub/ouiform/api");
        d.put("hub.username", "region-ouiform");
        d.put("hub.password", REGION_PASSWORD);
        d.put("hub.retrySeconds", "1");
        d.put("status.positionedAfterSeconds", "1");
        d.put("status.enteredAtSessionStart", "false");
        d.put("status.enteredAfterSeconds", "1");
        List<Option> options = new ArrayList<>(List.of(hubDistribution()));
        options.add(editConfigurationFilePut("etc/users.properties", "region-ouiform", REGION_PASSWORD + ",sender-ouiform"));
        c.forEach((k, v) -> options.add(editConfigurationFilePut(CFG, k, v)));
        d.forEach((k, v) -> options.add(editConfigurationFilePut(DOUBLE_CFG, k, v)));
        return OptionUtils.combine(options.toArray(new Option[0]));
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    @Test
    public void a_wsdlServedAndCatalogueImportedWithItsHabits() throws Exception {
        installFeature("hub-double-ouiform");
        installFeature("hub-connector-ouiform");
        awaitHealthUp();
        HubHttp.await("OuiForm double listening on " + OF_PORT, Duration.ofSeconds(30),
                () -> of().getAnonymous("/double/stats").status() == 200);
        HubHttp.await("connector:ouiform UP", Duration.ofSeconds(60),
                () -> http().get("/hub/health").body().contains("\"connector:ouiform\":{\"status\":\"UP\""));

        // the WSDL, served by CXF on the connector's own port, with that address
        HubHttp soap = new HubHttp("http://127.0.0.1:" + SOAP_PORT, "", "");
        HubHttp.Response wsdl = soap.getAnonymous("/ouiform/soap/v1?wsdl");
        assertEquals(wsdl.body(), 200, wsdl.status());
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        Document doc = dbf.newDocumentBuilder().parse(new ByteArrayInputStream(wsdl.body().getBytes(StandardCharsets.UTF_8)));
        String wsdlNs = "http://schemas.xmlsoap.org/wsdl/";
        assertEquals("definitions", doc.getDocumentElement().getLocalName());
        assertEquals("urn:fr:aisne:hub:ouiform:v1", doc.getDocumentElement().getAttribute("targetNamespace"));
        List<String> ops = new ArrayList<>();
        NodeList pts = doc.getElementsByTagNameNS(wsdlNs, "portType");
        for (int i = 0; i < pts.getLength(); i++) {
            NodeList o = ((Element) pts.item(i)).getElementsByTagNameNS(wsdlNs, "operation");
            for (int j = 0; j < o.getLength(); j++) {
                ops.add(((Element) o.item(j)).getAttribute("name"));
            }
        }
        assertTrue(ops.toString(), ops.containsAll(List.of("publierSessions", "notifierStatut")));
        assertTrue("the address is the endpoint's own", wsdl.body().contains("http://127.0.0.1:" + SOAP_PORT + "/ouiform/soap/v1\""));
        HubHttp.Response xsd = soap.getAnonymous("/ouiform/soap/v1?xsd=ouiform-v1.xsd");
        assertEquals(200, xsd.status());
        assertTrue(xsd.body().contains("notifierStatut"));
        // no envelope read without the Région's account
        assertEquals(401, soap.postRaw("/ouiform/soap/v1", "text/xml; charset=UTF-8", "<x/>").status());

        // the Carif-Oref's weekly file (the double's generator: every known habit of the real file)
        String catalogue = of().getAnonymous("/double/catalogue.xml").body();
        assertTrue(catalogue.contains("http://lheo.gouv.fr/2.3"));
        Path inbox = Paths.get(System.getProperty("karaf.data"), "inbox", "ouiform");
        Files.createDirectories(inbox);
        drop(inbox, "lheo-aisne-it.xml", catalogue.getBytes(StandardCharsets.UTF_8));
        String id = awaitMessage("ouiform", "lheo-aisne-it.xml", "DELIVERED", Duration.ofSeconds(60));
        assertTrue(http().get("/hub/api/messages/" + id).body().contains("\"flow\":\"catalogue\""));

        String laon = http().get("/hub/api/departement/formations/02_SE_0000101_1").body();
        String stQuentin = http().get("/hub/api/departement/formations/02_SE_0000101_2").body();
        assertTrue(laon, laon.contains("\"idAction\":\"02_AC_0000101\""));
        assertTrue("two actions share one numero", stQuentin.contains("\"idAction\":\"02_AC_0000101\""));
        assertTrue(stQuentin, stQuentin.contains("\"precision\":\"mois\""));
        assertTrue(stQuentin, stQuentin.contains("\"precision\":\"annee\""));
        String soissons = http().get("/hub/api/departement/formations/02_SE_0000202_1").body();
        assertTrue(soissons, soissons.contains("\"lheo\":\"00000000\"") && soissons.contains("\"precision\":\"inconnue\""));
        assertTrue(soissons, soissons.contains("\"lheo\":\"99999999\"") && soissons.contains("\"precision\":\"sans_fin\""));
        assertTrue("a decimal-comma price read as a number: " + laon, laon.matches("(?s).*\"prixTotalTTC\":\\d+(\\.\\d+)?[,}].*"));
        assertFalse("no HTML in the texts", laon.contains("<p>") || laon.contains("&lt;"));
        String search = http().get("/hub/api/departement/formations?codePostal=02000").body();
        assertTrue(search, search.contains("02_SE_0000101_1"));
        assertFalse(search, search.contains("02_SE_0000505_1"));
        assertEquals(400, http().get("/hub/api/departement/formations?codePostal=abc").status());

        // an LHEO 2.2 file: quarantined with that reason
        drop(inbox, "lheo-22-it.xml", of().getAnonymous("/double/catalogue.xml?version=2.2").body()
                .getBytes(StandardCharsets.UTF_8));
        String refused = awaitMessage("ouiform", "lheo-22-it.xml", "QUARANTINED", Duration.ofSeconds(60));
        String journal = http().get("/hub/api/messages/" + refused).body();
        assertTrue(journal, journal.contains("LHEO 2.2"));

        // the double publishes over SOAP and REST (JSON): round trips through the hub's side of the contract
        HubHttp.Response bySoap = of().post("/double/control/publier", "{\"canal\":\"SOAP\"}");
        assertTrue(bySoap.body(), bySoap.body().matches("(?s).*\"reponseHttp\"\\s*:\\s*200.*"));
        HubHttp.Response byRest = of().post("/double/control/publier", "{\"canal\":\"REST\",\"format\":\"json\"}");
        assertTrue(byRest.body(), byRest.body().matches("(?s).*\"reponseHttp\"\\s*:\\s*20[02].*"));
        HubHttp.Response v22 = of().post("/double/control/publier", "{\"canal\":\"SOAP\",\"version\":\"2.2\"}");
        assertTrue(v22.body(), v22.body().contains("LHEO_VERSION_NON_SUPPORTEE"));
        HubHttp.await("the SOAP and REST publications imported", Duration.ofSeconds(60), () -> count(
                http().get("/hub/api/messages?partner=ouiform&limit=100").body(), "\"flow\":\"catalogue\"") >= 4
                && !http().get("/hub/api/messages?partner=ouiform&limit=100").body()
                        .matches("(?s).*\"flow\":\"catalogue\"[^}]*\"state\":\"(QUEUED|FAILED|RECEIVED)\".*"));
    }

    @Test
    public void b_prescriptionWithRegistryIdentityReachesOuiFormAndItsStatusesComeBack() throws Exception {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("nom_naissance", "DUPONT");
        attrs.put("nom_usage", "BERNARD");
        attrs.put("prenom", "Camille");
        attrs.put("date_naissance", "1990-02-14");
        attrs.put("email", "camille.dupont@example.org");
        attrs.put("telephone", "0612345678");
        attrs.put("commune_insee", "02408");
        attrs.put("commune_code_postal", "02000");
        attrs.put("commune_libelle", "Laon");
        person = registry.observe(new PersonObservation("caf", null, Instant.now(), "2900202408123",
                Map.of("france-travail:numero", "12345678901"), attrs, null)).personId();
        assertNotNull(person);

        String id = post("{\"personId\":\"" + person + "\",\"idSession\":\"02_SE_0000101_1\",\"idAction\":\"02_AC_0000101\","
                + "\"referent\":{\"nom\":\"MARTIN\",\"prenom\":\"Claire\",\"courriel\":\"claire.martin@aisne.example\"}}",
                "it-b-1");
        awaitState(id, "DELIVERED", Duration.ofSeconds(60));
        String journal = http().get("/hub/api/messages/" + id).body();
        assertTrue(journal, journal.contains("registered by OuiForm over SOAP as OF-"));
        String received = of().getAnonymous("/double/prescriptions").body();
        assertTrue(received, received.contains("DUPONT") && received.contains("Camille") && received.contains("1990-02-14"));
        assertTrue(received, received.contains("12345678901") && received.contains(SIRET));
        assertFalse("no contact details sent", received.contains("camille.dupont@example.org") || received.contains("0612345678"));
        assertFalse("no NIR sent", received.contains("2900202408123"));
        Matcher hubId = Pattern.compile("\"idPrescriptionHub\"\\s*:\\s*\"(HUB-[0-9-]+)\"").matcher(received);
        assertTrue(received, hubId.find());
        Matcher ofId = Pattern.compile("\"idPrescriptionOuiForm\"\\s*:\\s*\"(OF-[0-9-]+)\"").matcher(received);
        assertTrue(received, ofId.find());

        // positionne then entre, sent by the double over SOAP (the channel the prescription came through)
        HubHttp.await("entre recorded", Duration.ofSeconds(60), () -> http()
                .get("/hub/api/departement/prescriptions-formation/" + hubId.group(1)).body().contains("\"statut\":\"entre\""));
        HubHttp.await("formation.entree in the department's feed", Duration.ofSeconds(30),
                () -> events.since(0, 100, Set.of("formation.entree")).stream().anyMatch(e -> e.personId().equals(person)));
        String view = http().get("/hub/api/departement/prescriptions-formation/" + hubId.group(1)).body();
        assertTrue(view, view.contains("positionne"));
        ConsolidatedPerson p = registry.find(person).orElseThrow();
        ConsolidatedPerson.Attribute statut = p.attributes().get("formation_statut");
        assertNotNull("the registry holds the status: " + p.attributes().keySet(), statut);
        assertEquals("entre", statut.value());
        assertEquals("provenance ouiform", "ouiform", statut.source().partner());

        // sorti, sent over REST on demand
        HubHttp.Response sorti = of().post("/double/control/statut", "{\"idPrescriptionOuiForm\":\"" + ofId.group(1)
                + "\",\"statut\":\"sorti\",\"motif\":\"Fin de formation\",\"canal\":\"REST\"}");
        assertEquals(sorti.body(), 200, sorti.status());
        HubHttp.await("formation.sortie in the department's feed", Duration.ofSeconds(30),
                () -> events.since(0, 100, Set.of("formation.sortie")).stream().anyMatch(e -> e.personId().equals(person)));
        String notifications = of().getAnonymous("/double/notifications").body();
        assertTrue(notifications, notifications.contains("SOAP") && notifications.contains("REST"));
        List<DepartmentEvent> mine = events.since(0, 100, Set.of("formation.entree", "formation.sortie"));
        assertTrue(mine.stream().allMatch(e -> e.sourcePartner() == null || e.sourcePartner().equals("ouiform")));
    }

    @Test
    public void c_soapFaultIsQuarantinedWithItsFaultString() throws Exception {
        String id = post("{\"personId\":\"" + person() + "\",\"idSession\":\"02_SE_0000303_1\"" + REFERENT, "it-c-1");
        awaitState(id, "QUARANTINED", Duration.ofSeconds(60));
        String journal = http().get("/hub/api/messages/" + id).body();
        assertTrue(journal, journal.contains("SESSION_FERMEE"));
        assertTrue("the double's fault string: " + journal, journal.contains("Recrutement "));
        assertTrue("the fault string: " + journal, journal.contains("OuiForm refused the prescription: SOAP fault"));
        assertTrue("not retried: " + journal, journal.contains("\"attempts\":1,"));
    }

    @Test
    public void d_anOutageOfOuiFormLosesNothing() throws Exception {
        control("{\"outage\":true,\"outageStatus\":503}");
        String during503 = post("{\"personId\":\"" + person() + "\",\"idSession\":\"02_SE_0000303_2\"" + REFERENT, "it-d-1");
        HubHttp.await("a failed attempt journaled for " + during503, Duration.ofSeconds(20),
                () -> http().get("/hub/api/messages/" + during503).body().contains("\"state\":\"FAILED\""));
        Thread.sleep(3_000);
        control("{\"outage\":false}");
        awaitState(during503, "DELIVERED", Duration.ofSeconds(60));

        HubHttp.Response cut = of().post("/double/control/disconnect", "{\"millis\":25000}");
        assertTrue(cut.body(), cut.status() / 100 == 2);
        HubHttp.await("double unreachable", Duration.ofSeconds(15),
                () -> of().getAnonymous("/double/stats").status() == -1);
        List<String> queued = new ArrayList<>();
        queued.add(post("{\"personId\":\"" + person() + "\",\"idSession\":\"02_SE_0000505_1\"" + REFERENT, "it-d-2"));
        queued.add(post("{\"personId\":\"" + person() + "\",\"idSession\":\"02_SE_0000202_1\"" + REFERENT, "it-d-3"));
        HubHttp.await("retries failing while OuiForm is unreachable", Duration.ofSeconds(20), () -> queued.stream()
                .anyMatch(q -> http().get("/hub/api/messages/" + q).body().contains("\"state\":\"FAILED\"")));
        for (String q : queued) {
            assertFalse("nothing quarantined during the outage", "QUARANTINED".equals(http().stateOf(q)));
        }
        for (String q : queued) {
            awaitState(q, "DELIVERED", Duration.ofSeconds(90));
        }
        String received = of().getAnonymous("/double/prescriptions").body();
        assertTrue(received, received.contains("02_SE_0000505_1") && received.contains("02_SE_0000202_1"));

        String log = Files.readString(Paths.get(System.getProperty("karaf.data"), "log", "karaf.log"));
        assertFalse("a NIR in karaf.log", log.contains("2900202408123"));
        assertFalse("a secret in karaf.log", log.contains(REGION_PASSWORD) || log.contains("double-secret-change-me"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String person() {
        assertNotNull("scenario b must run first (it creates the person)", person);
        return person;
    }

    private static HubHttp of() {
        return new HubHttp("http://127.0.0.1:" + OF_PORT, "", "");
    }

    private static void control(String json) {
        HubHttp.Response r = of().post("/double/control", json);
        assertEquals(r.body(), 200, r.status());
    }

    private String post(String json, String messageId) {
        HubHttp.Response r = http().post(PRESCRIBE, json, "X-Message-Id", messageId, "X-Correlation-Id", messageId);
        if (r.status() != 202) {
            throw new AssertionError("expected 202 from " + PRESCRIBE + ", got " + r.status() + " " + r.body());
        }
        return HubHttp.field(r.body(), "exchangeId");
    }
}
