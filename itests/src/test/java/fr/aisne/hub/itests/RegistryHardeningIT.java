package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.junit.After;
import org.junit.Before;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.operations.LocalKeys;
import fr.aisne.hub.registry.Nir;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Issue 13, the registry's findings, against the real distribution: person records need the role departement and
 * every read is logged with its reader, the DPO lists them (payload reads of hub-ops included); retention that
 * fails midway for one person leaves it whole and the next run finishes; a NIR copied into another person's row
 * does not open (500 with a reference only) and NIRs sealed by earlier versions are re-sealed at start; a large
 * body is refused before it is read (401 without credentials, 413 with); validation
 * messages quote no value, and /hub/health says only UP without credentials. All data is synthetic.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class RegistryHardeningIT extends HubTestSupport {
    private static final String AGENT = "agent-it";
    private static final String DPO = "dpo-it";
    private static final String VIEWER = "viewer-it";
    private static final String PASSWORD = "it-password-7Qx";

    @Inject
    PersonRegistry registry;

    private final List<ServiceRegistration<Connector>> connectors = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(hubDistribution(),
                editConfigurationFilePut("etc/users.properties", AGENT, PASSWORD + ",departement"),
                editConfigurationFilePut("etc/users.properties", DPO, PASSWORD + ",dpo"),
                editConfigurationFilePut("etc/users.properties", VIEWER, PASSWORD + ",viewer"));
    }

    @Before
    public void partnerConnectors() {
        awaitHealthUp();
        connectors.addAll(observationConnectors(registry, new String[] {"caf", "beneficiaires"},
                new String[] {"immersion-facilitee", "conventions"}));
    }

    @After
    public void removeConnectors() {
        connectors.forEach(ServiceRegistration::unregister);
        connectors.clear();
    }

    // ---- findings 1 and 2: roles, and every read traceable to its reader --------------------------

    @Test
    public void f1_personRecordsNeedTheirRoleAndEveryReadIsLoggedWithItsReader() {
        String nir = nir("1850578006084");
        String caf = person(nir, "1234567", "Lefèvre", "Jean-Pierre", "1985-05-12", null);
        String personId = HubHttp.field(as(AGENT).get("/hub/api/departement/persons?matriculeCaf=1234567&numorg=021")
                .body(), "id");
        assertNotNull(personId);
        String imm = send("/hub/in/immersion-facilitee/conventions", "{\"attributes\":{\"nom_usage\":\"LEFEVRE\","
                + "\"prenom\":\"Jean\",\"date_naissance\":\"1985-05-12\",\"rqth\":\"oui\"}}");
        awaitState(imm, "DELIVERED", Duration.ofSeconds(30));

        // the journal reader: the journal yes, persons and payloads no
        HubHttp viewer = as(VIEWER);
        for (String path : List.of("/hub/api/departement/persons/" + personId, "/hub/api/departement/persons?matriculeCaf=1234567",
                "/hub/api/departement/persons/" + personId + "/subject-access", "/hub/api/departement/matches",
                "/hub/api/departement/evenements", "/hub/api/departement/acces?personId=" + personId,
                "/hub/api/messages/" + caf + "/payload")) {
            assertEquals(path, 403, viewer.get(path).status());
        }
        assertEquals(403, viewer.post("/hub/api/departement/persons/lookup-by-nir", "{\"nir\":\"" + nir + "\"}").status());
        HubHttp.Response journal = viewer.get("/hub/api/messages/" + caf);
        assertEquals(200, journal.status());
        assertFalse("no payload for a journal reader: " + journal.body(), journal.body().contains("\"payload\""));
        // the department's role reads persons, not the export nor the access log
        HubHttp agent = as(AGENT);
        assertEquals(200, agent.get("/hub/api/departement/persons/" + personId).status());
        HubHttp.Response byNir = agent.post("/hub/api/departement/persons/lookup-by-nir", "{\"nir\":\"" + nir + "\"}");
        assertTrue(byNir.body(), byNir.body().contains(personId));
        assertEquals("[]", agent.post("/hub/api/departement/persons/lookup-by-nir",
                "{\"nir\":\"" + nir("2920633123045") + "\"}").body());
        String matches = agent.get("/hub/api/departement/matches").body();
        assertTrue(matches, matches.contains("\"candidatePersonId\":\"" + personId + "\""));
        assertFalse("a special category is not listed through a wildcard rule: " + matches, matches.contains("rqth"));
        assertEquals(200, agent.post("/hub/api/departement/matches/" + HubHttp.field(matches, "id") + "/reject", "")
                .status());
        assertEquals(403, agent.get("/hub/api/departement/persons/" + personId + "/subject-access").status());
        assertEquals(403, agent.get("/hub/api/departement/acces?personId=" + personId).status());
        // the DPO: the export and the access log, not the records
        HubHttp dpo = as(DPO);
        assertEquals(403, dpo.get("/hub/api/departement/persons/" + personId).status());
        HubHttp.Response sar = dpo.get("/hub/api/departement/persons/" + personId + "/subject-access");
        assertEquals(sar.body(), 200, sar.status());
        String disclosures = sar.body().substring(sar.body().indexOf("\"disclosures\""), sar.body().indexOf("\"matchDecisions\""));
        assertTrue(disclosures, disclosures.contains("\"purpose\":\"consultation\""));
        assertFalse("the person's export lists the reads, not the agents who made them: " + disclosures,
                disclosures.contains(AGENT) || disclosures.contains("accessedBy"));
        // the payloads: each read recorded before it is shown
        assertTrue(http().get("/hub/api/messages/" + caf).body().contains("\"payload\""));
        assertEquals(200, http().get("/hub/api/messages/" + caf + "/payload").status());

        HubHttp.Response log = dpo.get("/hub/api/departement/acces?personId=" + personId);
        assertEquals(log.body(), 200, log.status());
        String rows = log.body();
        for (String[] read : new String[][] {{AGENT, "lookup-caf-matricule"}, {AGENT, "read"}, {AGENT, "lookup-nir"},
            {AGENT, "match-review"}, {DPO, "subject-access"}, {"admin", "payload-preview"}, {"admin", "payload-download"}}) {
            assertTrue(read[0] + " " + read[1] + " in " + rows,
                    rows.contains("\"account\":\"" + read[0] + "\",\"kind\":\"" + read[1] + "\""));
        }
        assertTrue(rows, rows.contains("\"kind\":\"payload-download\",\"partner\":\"hub\",\"purpose\":\"operations\","
                + "\"personId\":null,\"exchangeId\":\"" + caf + "\""));
        String byAgent = dpo.get("/hub/api/departement/acces?account=" + AGENT).body();
        assertTrue("the rejection is logged on the person it created: " + byAgent,
                byAgent.contains("\"account\":\"" + AGENT + "\",\"kind\":\"match-decision\""));
        assertTrue("the lookup that found nobody is logged too: " + byAgent,
                byAgent.contains("\"kind\":\"lookup-nir\",\"partner\":\"departement\",\"purpose\":\"consultation\","
                        + "\"personId\":null"));
        assertEquals(400, dpo.get("/hub/api/departement/acces").status());
        assertTrue("the DPO's own reading is logged", dpo.get("/hub/api/departement/acces?account=" + DPO).body()
                .contains("\"kind\":\"access-log\""));
        assertNoInLog(nir);
    }

    // ---- finding 3: retention, one transaction per person --------------------------------------------

    @Test
    public void f3_aRetentionRunFailingMidwayForOnePersonLeavesItWholeAndTheNextRunFinishes() throws Exception {
        person(nir("1700199000001"), "7000001", "Ancien", "Alex", "1970-01-01", "2020-01-31");
        String a = HubHttp.field(as(AGENT).get("/hub/api/departement/persons?matriculeCaf=7000001").body(), "id");
        String bExchange = person(nir("1700199000003"), "7000003", "Ancienne", "Noa", "1970-01-03", "2020-02-29");
        String b = HubHttp.field(as(AGENT).get("/hub/api/departement/persons?matriculeCaf=7000003").body(), "id");
        Map<String, Long> whole = rowsOf(b);
        assertTrue(whole.toString(), whole.values().stream().allMatch(n -> n > 0));

        // B's membership cannot be deleted: by then its attributes, identifiers and NIR were
        sql("CREATE TABLE it_failure (v INT NOT NULL CONSTRAINT it_failure_v CHECK (v > 0))");
        sql("CREATE TRIGGER it_fail_membership AFTER DELETE ON reg_membership REFERENCING OLD AS o FOR EACH ROW "
                + "WHEN (o.person_id = '" + b + "') INSERT INTO it_failure VALUES (0)");
        HubHttp.Response failed;
        try {
            failed = http().post("/hub/api/departement/retention/run", "");
        } finally {
            sql("DROP TRIGGER it_fail_membership");
            sql("DROP TABLE it_failure");
        }
        assertEquals(failed.body(), 200, failed.status());
        assertTrue(failed.body(), failed.body().contains("\"personsFailed\":1"));
        assertEquals("nothing of B was deleted", whole, rowsOf(b));
        assertEquals(Map.of("reg_attribute", 0L, "reg_identifier", 0L, "reg_nir", 0L, "reg_membership", 0L,
                "reg_person", 0L), rowsOf(a));
        assertTrue("B's payload is kept while B is", http().get("/hub/api/messages/" + bExchange).body()
                .contains("\"payloadAvailable\":true"));

        HubHttp.Response next = http().post("/hub/api/departement/retention/run", "");
        assertTrue(next.body(), next.body().contains("\"personsPurged\":1") && next.body().contains("\"personsFailed\":0"));
        assertEquals(Map.of("reg_attribute", 0L, "reg_identifier", 0L, "reg_nir", 0L, "reg_membership", 0L,
                "reg_person", 0L), rowsOf(b));
        assertTrue(http().get("/hub/api/messages/" + bExchange).body().contains("\"payloadAvailable\":false"));
        assertEquals(0L, countRows("SELECT COUNT(*) FROM reg_purge_pending"));
        assertEquals(0L, countRows("SELECT COUNT(*) FROM reg_household WHERE matricule IN ('7000001', '7000003')"));
    }

    // ---- finding 4: a NIR bound to its row -----------------------------------------------------------

    @Test
    public void f4_aNirCopiedIntoAnotherPersonsRowDoesNotOpenAndTheAnswerIsAReferenceOnly() throws Exception {
        String nirD = nir("1881275123011");
        String nirE = nir("2881275123012");
        person(nirD, "8000001", "Dupuis", "Dominique", "1988-12-01", null);
        person(nirE, "8000002", "Martel", "Estelle", "1988-12-02", null);
        String d = HubHttp.field(as(AGENT).get("/hub/api/departement/persons?matriculeCaf=8000001").body(), "id");
        String e = HubHttp.field(as(AGENT).get("/hub/api/departement/persons?matriculeCaf=8000002").body(), "id");
        String sealedD = string("SELECT nir_encrypted FROM reg_nir WHERE person_id = ?", d);
        String sealedE = string("SELECT nir_encrypted FROM reg_nir WHERE person_id = ?", e);
        assertTrue(sealedD.startsWith("v2:"));
        sql("UPDATE reg_nir SET nir_encrypted = ? WHERE person_id = ?", sealedD, e);
        try {
            HubHttp.Response swapped = as(DPO).get("/hub/api/departement/persons/" + e + "/subject-access");
            assertEquals(swapped.body(), 500, swapped.status());
            String reference = HubHttp.field(swapped.body(), "reference");
            assertNotNull(swapped.body(), reference);
            assertEquals("nothing but the reference: " + swapped.body(),
                    ("{\"error\":\"internal error\",\"reference\":\"" + reference + "\"}").length(), swapped.body().length());
            assertEquals(500, as(AGENT).get("/hub/api/departement/persons/" + e).status());
            String logged = karafLog();
            assertTrue("the log says what failed, under the reference", logged.matches("(?s).*reference " + reference
                    + "\\).*NIR of person:" + e + " cannot be opened: sealed for another row.*"));
            assertEquals("the row it was sealed for still opens", 200,
                    as(DPO).get("/hub/api/departement/persons/" + d + "/subject-access").status());
        } finally {
            sql("UPDATE reg_nir SET nir_encrypted = ? WHERE person_id = ?", sealedE, e);
        }
        assertTrue(as(DPO).get("/hub/api/departement/persons/" + e + "/subject-access").body()
                .contains("\"nir\":\"" + nirE.substring(0, 13) + "\""));
        assertNoInLog(nirD, nirE, nirD.substring(0, 13), nirE.substring(0, 13));
    }

    // ---- finding 5: credentials before bodies, bounded bodies ------------------------------------------

    @Test
    public void f5_aLargeBodyIsRefusedBeforeItIsRead() {
        // 700 MB announced (or a chunked body that never ends), 64 KB sent: a hub reading the body first would wait
        String lookup = "/hub/api/departement/persons/lookup-by-nir";
        for (boolean chunked : new boolean[] {false, true}) {
            for (String path : List.of(lookup, "/hub/api/departement/matches/" + UUID.randomUUID() + "/confirm",
                    "/hub/api/departement/retention/run")) {
                String anonymous = partial(path, null, chunked);
                assertTrue(path + " chunked=" + chunked + ": " + anonymous, anonymous.startsWith("HTTP/1.1 401"));
            }
            String oversized = partial(lookup, AGENT, chunked);
            assertTrue("chunked=" + chunked + ": " + oversized, oversized.startsWith("HTTP/1.1 413"));
            assertTrue("the limit is named: " + oversized, oversized.contains("at most 4096"));
        }

        // every endpoint has its limit, named in its 413
        String get = HubHttp.rawFrom("127.0.0.1", HTTP_PORT, "GET", "/hub/api/departement/matches", AGENT, PASSWORD, "{}");
        assertTrue(get, get.startsWith("HTTP/1.1 413"));
        String decide = HubHttp.rawFrom("127.0.0.1", HTTP_PORT, "POST", "/hub/api/departement/matches/"
                + UUID.randomUUID() + "/confirm", AGENT, PASSWORD, "x".repeat(2000));
        assertTrue(decide, decide.startsWith("HTTP/1.1 413"));
        HubHttp.Response named = as(AGENT).post("/hub/api/departement/matches/" + UUID.randomUUID() + "/reject",
                "{\"x\":\"" + "y".repeat(2000) + "\"}");
        assertEquals(413, named.status());
        assertTrue(named.body(), named.body().contains("at most 1024 accepted here"));
        HubHttp.Response none = as(AGENT).post("/hub/api/departement/matches/" + UUID.randomUUID() + "/reject", "");
        assertEquals(409, none.status());
        assertTrue(none.body(), none.body().contains("no pending match with this id"));
    }

    // ---- finding 6: no value in error texts; health ----------------------------------------------------

    @Test
    public void f6_validationMessagesQuoteNoValueAndHealthWithoutCredentialsIsTheStatusOnly() {
        String nir = "1850578006084";
        for (String bad : List.of("{\"nir\": A" + nir + ", \"attributes\": {\"prenom\": \"Camille\"}}",
                "{\"attributes\": {\"date_naissance\": 1985-05-12}}", "{\"" + nir + "\": \"1985-05-12\"}")) {
            HubHttp.Response r = http().post("/hub/in/caf/beneficiaires", bad, "X-Correlation-Id", "it-h13-" + UUID.randomUUID());
            assertEquals(r.body(), 422, r.status());
            // the journal as its reader sees it (the admin's view shows the payload itself, recorded as read)
            String journal = as(VIEWER).get("/hub/api/messages/" + HubHttp.field(r.body(), "exchangeId")).body();
            assertTrue(journal, journal.contains("QUARANTINED"));
            for (String text : List.of(r.body(), journal)) {
                assertFalse(text, text.contains(nir) || text.contains("1985-05-12") || text.contains("Camille"));
                // a part of the date, only where the hub writes words: the ids and timestamps around them are random
                // or today's, and hold "1985" or "05-12" about once in 330 runs (and every 12 May)
                String reasons = reasons(text);
                assertFalse("the refusal says why: " + text, reasons.isBlank());
                assertFalse(reasons, reasons.contains("1985") || reasons.contains("05-12"));
            }
        }
        HubHttp.Response badNir = as(AGENT).post("/hub/api/departement/persons/lookup-by-nir", "{\"nir\":\"" + nir + "99\"}");
        assertEquals(400, badNir.status());
        assertFalse(badNir.body(), badNir.body().contains(nir));
        assertEquals("{\"status\":\"UP\"}", http().getAnonymous("/hub/health").body());
        assertNoInLog(nir);
    }

    /** The values of the "reason", "lastReason" and "error" fields of a JSON text, one per line. */
    private static String reasons(String json) {
        Matcher m = Pattern
                .compile("\"(?:reason|lastReason|error)\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            sb.append(m.group(1)).append('\n');
        }
        return sb.toString();
    }

    // ---- finding 4 (last: restarts the registry): NIRs of earlier versions re-sealed at start ----------

    @Test
    public void f9_nirsSealedByAnEarlierVersionAreResealedBoundToTheirRowAtStart() throws Exception {
        String nirF = nir("1900275123013");
        String payloadOfF = person(nirF, "9000001", "Ancienformat", "Florian", "1990-02-01", null);
        String f = HubHttp.field(as(AGENT).get("/hub/api/departement/persons?matriculeCaf=9000001").body(), "id");
        // what the registry wrote before v2: AES-GCM under its key, one label for every row
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        var key = LocalKeys.open(etc, "hub-registry.p12", "hub-registry.keystore.password",
                List.of(new LocalKeys.Spec("nir-encryption-v1", "AES", 256))).get("nir-encryption-v1");
        String v1 = "v1:" + Base64.getEncoder().encodeToString(LocalKeys.seal(key, "hub-registry/nir",
                nirF.substring(0, 13).getBytes(StandardCharsets.US_ASCII)));
        sql("UPDATE reg_nir SET nir_encrypted = ? WHERE person_id = ?", v1, f);
        assertEquals("not read as it is", 500, as(DPO).get("/hub/api/departement/persons/" + f + "/subject-access").status());

        Bundle registryBundle = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "fr.aisne.hub.registry".equals(b.getSymbolicName())).findFirst().orElseThrow();
        registryBundle.stop();
        try {
            assertEquals("no access log, no payload", 503, http().get("/hub/api/messages/" + payloadOfF + "/payload").status());
            assertFalse(http().get("/hub/api/messages/" + payloadOfF).body().contains("\"payload\""));
        } finally {
            registryBundle.start();
        }
        HubHttp.await("the registry back", Duration.ofSeconds(60),
                () -> as(DPO).get("/hub/api/departement/persons/" + f + "/subject-access").status() == 200);
        assertTrue(as(DPO).get("/hub/api/departement/persons/" + f + "/subject-access").body()
                .contains("\"nir\":\"" + nirF.substring(0, 13) + "\""));
        assertTrue(string("SELECT nir_encrypted FROM reg_nir WHERE person_id = ?", f).startsWith("v2:"));
        assertEquals(0L, countRows("SELECT COUNT(*) FROM reg_nir WHERE nir_encrypted LIKE 'v1:%'"));
        assertTrue("counted in the log", karafLog().contains("NIR vault: 1 persons' NIRs and 0 waiting observations' "
                + "NIRs re-sealed bound to their row (v2)"));
        assertNoInLog(nirF, nirF.substring(0, 13));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** A CAF observation of a person (DEM of household 021/matricule) through the flow; its exchange id. */
    private String person(String nir, String matricule, String name, String firstName, String born, String leftRsa) {
        String exchange = send("/hub/in/caf/beneficiaires", "{\"nir\":\"" + nir + "\","
                + "\"identifiers\":{\"caf:matricule\":\"" + matricule + "\"},"
                + "\"household\":{\"numorg\":\"021\",\"matricule\":\"" + matricule + "\",\"role\":\"DEM\"},"
                + "\"attributes\":{\"nom_naissance\":\"" + name + "\",\"prenom\":\"" + firstName + "\",\"date_naissance\":\""
                + born + "\"" + (leftRsa == null ? "" : ",\"date_sortie_rsa\":\"" + leftRsa + "\"") + "}}");
        awaitState(exchange, "DELIVERED", Duration.ofSeconds(30));
        return exchange;
    }

    /** The 15-character form of a synthetic 13-character NIR. */
    private static String nir(String nir13) {
        return nir13 + String.format("%02d", Nir.key(nir13));
    }

    private String send(String path, String json) {
        return postRelay(path, json, "it-h13-" + UUID.randomUUID());
    }

    private static HubHttp as(String account) {
        return new HubHttp("http://127.0.0.1:" + HTTP_PORT, account, PASSWORD);
    }

    private void assertNoInLog(String... values) {
        String text = karafLog();
        for (String v : values) {
            assertFalse("a NIR of the test data appears in the log", text.contains(v));
        }
    }

    private static String karafLog() {
        try {
            return Files.readString(Paths.get(System.getProperty("karaf.data"), "log", "karaf.log"));
        } catch (IOException e) {
            throw new AssertionError("karaf.log unreadable", e);
        }
    }

    private Map<String, Long> rowsOf(String personId) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String table : List.of("reg_attribute", "reg_identifier", "reg_nir", "reg_membership")) {
            out.put(table, countRows("SELECT COUNT(*) FROM " + table + " WHERE person_id = ?", personId));
        }
        out.put("reg_person", countRows("SELECT COUNT(*) FROM reg_person WHERE id = ?", personId));
        return out;
    }

    private DataSource dataSource() throws Exception {
        var refs = bundleContext.getServiceReferences(DataSource.class, "(hub.datasource=main)");
        assertFalse("the hub's DataSource", refs.isEmpty());
        return bundleContext.getService(refs.iterator().next());
    }

    private void sql(String sql, Object... args) throws Exception {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }

    private String string(String sql, Object... args) throws Exception {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(sql, rs.next());
                return rs.getString(1);
            }
        }
    }

    private long countRows(String sql, Object... args) throws Exception {
        return Long.parseLong(string(sql, args));
    }

    private static String partial(String path, String account, boolean chunked) {
        String password = account == null ? null : PASSWORD;
        return chunked ? HubHttp.streamedBody(HTTP_PORT, "POST", path, account, password, "application/json", 64 * 1024)
                : HubHttp.declaredBody(HTTP_PORT, "POST", path, account, password, "application/json", 700_000_000L,
                        64 * 1024);
    }
}
