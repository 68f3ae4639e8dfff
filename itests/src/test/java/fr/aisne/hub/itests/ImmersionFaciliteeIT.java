package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

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

import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Immersion Facilitée in the real distribution (Karaf, Artemis, Derby, the hub's HTTP listener), against the
 * Immersion Facilitée double over real HTTP on port 18484, with the platform's own limits (5 calls/s, a 429 without
 * Retry-After and a 5 s lock-out that every call prolongs, webhooks with no retry, only the first subscription called).
 * Issue 14's test list, in name order in one container:
 * <ol>
 * <li>(a) at start the connector subscribes exactly one convention.updated webhook to the hub's endpoint, and the
 * first-start reconciliation walk (13 months) brings the department's fixtures in; a wrong or missing secret is
 * refused (401), counted in {@code hub_http_refused_total{reason="credentials"}}, and nothing is journaled;</li>
 * <li>(b) a convention created at the double arrives by webhook: kept with its schedule and hours, on the person's
 * record ({@code pmsmp_<id>}), the event immersion.validee in the department's feed; a France Travail convention of
 * the Aisne that does not refer to the department is journaled IGNORED with the reason and never stored;</li>
 * <li>(c) a convention whose webhooks were all dropped is caught by the reconciliation;</li>
 * <li>(d) duplicated and reordered calls (the last moves of a convention sent newest first, some twice) give the
 * platform's final state;</li>
 * <li>(e) a convention transferred to another department's agency leaves the department's conventions (403 on
 * re-read), with that reason in its history;</li>
 * <li>(f) a storm of 429s and an outage (503 pages, then the platform unreachable) lose nothing;</li>
 * <li>(g) the department's own (paper) immersion, with its hours done, feeds the same conventions;</li>
 * <li>(h) no isRqth value and no emergency contact in the registry, the journal or karaf.log.</li>
 * </ol>
 * The core's retries are scaled down (0.5 s doubling to 3 s, 60 attempts) and the recent reconciliation runs every
 * 15 s instead of 10 minutes, so that the scenarios take seconds; the platform's limits stay the shipped ones.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ImmersionFaciliteeIT extends HubTestSupport {
    static final int IF_PORT = Ports.of(18484);
    static final String IF_CFG = "etc/hub.connector.immersionfacilitee.cfg";
    static final String API = "/hub/api/immersion-facilitee";
    static final String WEBHOOK = "/hub/in/immersion-facilitee/conventions";
    /** The double's aisne-hub key with its default jwt.secret (routes/immersion-facilitee/README.md). */
    static final String KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6ImExNWUwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDBhMSIs"
            + "InZlcnNpb24iOjEsImlhdCI6MTczNTY4OTYwMH0.vI-3p4IcrYN_0eQaqZjJZTWMDU823FM0s7nar2bx3hw";
    /** cd02, validated, isRqth, assessment DID_NOT_SHOW (the double's fixture). */
    static final String RQTH_FIXTURE = "0c0a0000-0000-4000-8000-000000000008";
    /** ft-laon: the Aisne, but France Travail, not referring to the department. */
    static final String FT_LAON_FIXTURE = "0c0a0000-0000-4000-8000-000000000005";
    static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    @Inject
    PersonRegistry registry;

    @Inject
    DepartmentEvents events;

    /** Conventions the scenarios made, for the last one's checks. */
    private static final Set<String> MADE = new LinkedHashSet<>();

    @Configuration
    public Option[] config() {
        Map<String, String> im = new LinkedHashMap<>();
        im.put("api.url", "http://127.0.0.1:" + IF_PORT + "/api");
        im.put("api.key", KEY);
        im.put("http.connectTimeoutMs", "1000");
        im.put("http.requestTimeoutMs", "5000");
        im.put("partner.circuit.failures", "5");
        im.put("partner.circuit.openSeconds", "3");
        // 429s: the shipped pause (6 s, doubled while they last), capped at 8 s instead of 120 s
        im.put("partner.maxBackoffSeconds", "8");
        im.put("reconcile.recentSeconds", "15");
        im.put("reconcile.retrySeconds", "5");
        im.put("match.checkSeconds", "5");
        im.put("retry.maxAttempts", "60");
        im.put("retry.initialDelayMs", "500");
        im.put("retry.multiplier", "2.0");
        im.put("retry.maxDelayMs", "3000");
        List<Option> options = new ArrayList<>(List.of(hubDistribution()));
        options.add(editConfigurationFilePut("etc/hub.double.immersionfacilitee.cfg", "http.port", Integer.toString(IF_PORT)));
        im.forEach((k, v) -> options.add(editConfigurationFilePut(IF_CFG, k, v)));
        return OptionUtils.combine(options.toArray(new Option[0]));
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    @Test
    public void a_oneSubscriptionTheFixturesReconciledAndAWrongSecretRefusedAndCounted() throws Exception {
        installFeature("hub-double-immersion-facilitee");
        installFeature("hub-connector-immersion-facilitee");
        awaitHealthUp();
        HubHttp.await("Immersion Facilitée double listening on " + IF_PORT, Duration.ofSeconds(30),
                () -> im().getAnonymous("/double/stats").status() == 200);
        HubHttp.await("immersion-facilitee connector installed", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"immersion-facilitee\""));

        // exactly one convention.updated subscription, towards the hub's endpoint, with a static authorization header
        // (the hub's own status is polled: the platform's list, read with the hub's key, counts in its 5 calls/s)
        HubHttp.await("the hub subscribed its webhook", Duration.ofSeconds(60), () -> http().get(API + "/subscription")
                .body().contains("(convention.updated) calls"));
        String subs = subscriptionsRead();
        assertEquals(subs, 1, count(subs, "\"subscribedEvent\":\"convention.updated\""));
        assertTrue(subs, subs.contains("\"callbackUrl\":\"http://127.0.0.1:" + HTTP_PORT + WEBHOOK + "\""));
        assertNotNull("the subscription carries the hub's secret", secret(subs));

        // the first-start walk of 13 months brings the department's fixtures in (the validated RQTH one among them)
        HubHttp.await("the fixture " + RQTH_FIXTURE + " reconciled", Duration.ofSeconds(180),
                () -> http().get(API + "/conventions/" + RQTH_FIXTURE).status() == 200);
        HubHttp.await("the first nightly walk done", Duration.ofSeconds(180),
                () -> http().get(API + "/subscription").body().contains("last nightly success"));
        String status = http().get(API + "/subscription").body();
        System.out.println("FIGURE first-start reconciliation: " + status);
        assertTrue(status, status.contains("\"conventions\""));
        String health = http().get("/hub/health").body();
        assertTrue(health, health.contains("\"connector:immersion-facilitee\":{\"status\":\"UP\""));

        // a wrong or missing secret: 401, counted, nothing journaled
        long refused = metric("hub_http_refused_total{reason=\"credentials\"}");
        long journaled = journaledWebhookCalls();
        String call = webhookBody("0c0a0000-0000-4000-8000-000000000001", "ACCEPTED_BY_VALIDATOR");
        HubHttp.Response wrong = platformCall(call, "not-the-secret");
        assertEquals(wrong.body(), 401, wrong.status());
        HubHttp.Response missing = platformCall(call, null);
        assertEquals(missing.body(), 401, missing.status());
        assertEquals("both refusals counted", refused + 2, metric("hub_http_refused_total{reason=\"credentials\"}"));
        assertEquals("nothing journaled for a refused call", journaled, journaledWebhookCalls());
        // the right one is taken (202) and journaled: what the double sends
        HubHttp.Response right = platformCall(call, secret(subs));
        assertEquals(right.body(), 202, right.status());
        assertEquals(journaled + 1, journaledWebhookCalls());
    }

    @Test
    public void b_aConventionCreatedAtThePlatformArrivesByWebhookOnThePersonsRecord() throws Exception {
        long seq = events.lastSeq();
        String id = create("{\"agency\":\"cd02\",\"status\":\"ACCEPTED_BY_VALIDATOR\","
                + "\"beneficiary\":{\"firstName\":\"Maëlle\",\"lastName\":\"Vasseur-It\",\"birthdate\":\"1991-05-17\","
                + "\"email\":\"m.vasseur@example.net\",\"phone\":\"+33611223344\",\"isRqth\":false},"
                + "\"dateStart\":\"" + monday(2) + "\",\"dateEnd\":\"" + monday(2).plusDays(4) + "\","
                + "\"hours\":[{\"start\":\"09:00\",\"end\":\"12:00\"},{\"start\":\"13:00\",\"end\":\"16:30\"}],"
                + "\"weekdays\":[1,2,3,4,5],\"siret\":\"99902000300012\",\"businessName\":\"Boulangerie de la Gare\"}");
        String c = awaitConvention(id, "ACCEPTED_BY_VALIDATOR", Duration.ofSeconds(60));
        assertTrue(c, c.matches("(?s).*\"plannedHours\":32\\.50?[,}].*"));
        assertTrue(c, c.contains("\"hostSiret\":\"99902000300012\""));
        assertTrue(c, c.contains("\"trigger\":\"webhook\""));
        String person = HubHttp.field(c, "personId");
        assertNotNull(c, person);

        // on the person's record (the registry, and the department's consultation of it)
        ConsolidatedPerson p = registry.find(person).orElseThrow();
        ConsolidatedPerson.Attribute a = p.attributes().get(attribute(id));
        assertNotNull("pmsmp attribute on the person: " + p.attributes().keySet(), a);
        assertTrue(a.value(), a.value().contains("\"statut\":\"ACCEPTED_BY_VALIDATOR\"") && a.value().matches("(?s).*\"heures\":32\\.50?[,}].*"));
        assertEquals("immersion-facilitee", a.source().partner());
        assertEquals(List.of(person), registry.findByIdentifier("immersion-facilitee", "convention", id));
        String consulted = http().get("/hub/api/departement/persons/" + person).body();
        assertTrue(consulted, consulted.contains(attribute(id)));

        // the department is told, with the person and the convention
        HubHttp.await("immersion.validee in the department's feed", Duration.ofSeconds(30), () -> events
                .since(seq, 1000, Set.of("immersion.validee")).stream().anyMatch(e -> id.equals(e.details().get("convention"))));
        DepartmentEvent e = events.since(seq, 1000, Set.of("immersion.validee")).stream()
                .filter(x -> id.equals(x.details().get("convention"))).findFirst().orElseThrow();
        assertEquals(person, e.personId());
        assertEquals("32.5", e.details().get("heures"));

        // out of scope: journaled IGNORED with the reason, never stored
        assertEquals(202, http().post(API + "/conventions/" + FT_LAON_FIXTURE + "/reread", "{}").status());
        HubHttp.await("the ft-laon convention ignored with the reason", Duration.ofSeconds(60), () -> journalFor(FT_LAON_FIXTURE)
                .stream().anyMatch(x -> x.contains("\"state\":\"IGNORED\"") && x.contains("not the department's")));
        assertEquals(404, http().get(API + "/conventions/" + FT_LAON_FIXTURE).status());
    }

    @Test
    public void c_aConventionWhoseWebhooksWereDroppedIsCaughtByReconciliation() throws Exception {
        control("{\"webhookDropNext\":50}");
        String id = create("{\"agency\":\"cd02\",\"status\":\"ACCEPTED_BY_VALIDATOR\",\"dateStart\":\"" + monday(3)
                + "\",\"dateEnd\":\"" + monday(3).plusDays(4) + "\"}");
        control("{\"webhookDropNext\":0}");
        String deliveries = im().getAnonymous("/double/control/deliveries").body();
        assertTrue("the platform dropped its calls: " + deliveries, deliveries.contains(id));
        for (String d : callsFor(deliveries, id)) {
            assertTrue("every call for " + id + " dropped: " + d, d.contains("\"outcome\":\"dropped\""));
        }
        String c = awaitConvention(id, "ACCEPTED_BY_VALIDATOR", Duration.ofSeconds(90));
        assertTrue(c, c.contains("\"trigger\":\"reconciliation\""));
        assertFalse(c, c.contains("\"trigger\":\"webhook\""));
    }

    @Test
    public void d_duplicatedAndReorderedCallsGiveThePlatformsFinalState() throws Exception {
        String id = create("{\"agency\":\"cd02\",\"status\":\"READY_TO_SIGN\",\"dateStart\":\"" + monday(4)
                + "\",\"dateEnd\":\"" + monday(4).plusDays(4) + "\"}");
        awaitConvention(id, "READY_TO_SIGN", Duration.ofSeconds(60));
        long duplicatesBefore = duplicates();
        control("{\"webhookReorderNext\":3,\"webhookDuplicateNext\":2}");
        act(id, "{\"action\":\"sign\",\"role\":\"beneficiary\"}");
        act(id, "{\"action\":\"edit\",\"changes\":{\"businessName\":\"Garage du Centre\"}}"); // the legal return to READY_TO_SIGN
        act(id, "{\"action\":\"sign\",\"role\":\"beneficiary\"}");
        act(id, "{\"action\":\"sign\",\"role\":\"establishment-representative\"}");
        act(id, "{\"action\":\"status\",\"status\":\"ACCEPTED_BY_COUNSELLOR\"}");
        act(id, "{\"action\":\"status\",\"status\":\"ACCEPTED_BY_VALIDATOR\"}");
        HubHttp.await("the double made the reordered and duplicated calls", Duration.ofSeconds(30), () -> {
            List<String> calls = callsFor(im().getAnonymous("/double/control/deliveries").body(), id);
            return calls.stream().anyMatch(x -> x.contains("\"reordered\":true"))
                    && calls.stream().anyMatch(x -> x.contains("\"duplicate\":true"));
        });
        String c = awaitConvention(id, "ACCEPTED_BY_VALIDATOR", Duration.ofSeconds(60));
        // settled: every call for it delivered, and it stays validated
        HubHttp.await("every call for " + id + " final", Duration.ofSeconds(60), () -> journalFor(id).stream()
                .noneMatch(x -> x.matches("(?s).*\"state\":\"(RECEIVED|VALIDATED|QUEUED|FAILED|REPLAYED)\".*")));
        assertTrue("the duplicated calls journaled as duplicates", duplicates() > duplicatesBefore);
        c = convention(id);
        assertEquals(c, "ACCEPTED_BY_VALIDATOR", HubHttp.field(c, "status"));
        assertTrue(c, c.contains("\"hostName\":\"Garage du Centre\""));
        assertEquals("validated once: one immersion.validee", 1, events.since(0, 10_000, Set.of("immersion.validee"))
                .stream().filter(e -> id.equals(e.details().get("convention"))).count());
    }

    @Test
    public void e_aTransferredConventionLeavesTheDepartmentsConventions() throws Exception {
        String id = create("{\"agency\":\"cd02\",\"status\":\"IN_REVIEW\",\"dateStart\":\"" + monday(5)
                + "\",\"dateEnd\":\"" + monday(5).plusDays(4) + "\"}");
        awaitConvention(id, "IN_REVIEW", Duration.ofSeconds(60));
        act(id, "{\"action\":\"transfer\",\"agency\":\"ft-amiens\"}");
        HubHttp.await("convention " + id + " out of the department's", Duration.ofSeconds(60),
                () -> convention(id).contains("\"inDepartment\":false"));
        String c = convention(id);
        assertTrue(c, c.contains("\"event\":\"REMOVED\""));
        assertTrue(c, c.contains("403 on re-read: the convention was transferred to another agency"));
        String list = http().get(API + "/conventions?from=" + monday(5) + "&to=" + monday(5).plusDays(4)).body();
        assertTrue("still readable, marked as left: " + list, list.contains(id));
    }

    @Test
    public void f_a429StormAndAnOutageLoseNothing() throws Exception {
        long throttled = stat("throttled429");
        // three 429s in a row: the pause grows (6 s, then 8 s, the cap); six took up to a minute more, nothing new shown
        control("{\"status429Next\":3}");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create("{\"agency\":\"cd02\",\"status\":\"ACCEPTED_BY_VALIDATOR\",\"dateStart\":\"" + monday(6 + i)
                    + "\",\"dateEnd\":\"" + monday(6 + i).plusDays(2) + "\"}"));
        }
        for (String id : ids) {
            awaitConvention(id, "ACCEPTED_BY_VALIDATOR", Duration.ofSeconds(180));
        }
        assertTrue("the storm was answered", stat("throttled429") >= throttled + 3);
        String health = http().get("/hub/health").body();
        assertTrue("health tells the 429s: " + health, health.contains("answers 429"));

        // 503 pages for 10 s: the calls made meanwhile are retried, the webhook's convention arrives after it
        control("{\"outage\":true}");
        String during503 = create("{\"agency\":\"cd02\",\"status\":\"ACCEPTED_BY_VALIDATOR\",\"dateStart\":\"" + monday(9)
                + "\",\"dateEnd\":\"" + monday(9).plusDays(2) + "\"}");
        // the webhook is taken and journaled; its re-read cannot be made (503 pages, then the circuit opens and the
        // core defers the deliveries without counting attempts): the hub tells, and keeps the hand-overs
        HubHttp.await("the webhook's hand-over journaled during the outage", Duration.ofSeconds(30),
                () -> !journalFor(during503).isEmpty());
        HubHttp.await("the hub sees the outage", Duration.ofSeconds(60), () -> {
            String h = http().get("/hub/health").body();
            return h.contains("\"connector:immersion-facilitee\":{\"status\":\"DOWN\"")
                    || http().get(API + "/subscription").body().contains("interrupted");
        });
        Thread.sleep(4_000); // several retries would have read it meanwhile (0.5 s doubling to 3 s)
        assertEquals("not read while the platform is down", "", convention(during503));
        control("{\"outage\":false}");
        awaitConvention(during503, "ACCEPTED_BY_VALIDATOR", Duration.ofSeconds(90));

        // a change whose webhooks were lost, then the platform unreachable for 30 s: the reconciliation walks that
        // fail meanwhile stop and resume, and catch it when the platform is back
        control("{\"webhookDropNext\":50}");
        String lost = create("{\"agency\":\"cd02\",\"status\":\"ACCEPTED_BY_VALIDATOR\",\"dateStart\":\"" + monday(10)
                + "\",\"dateEnd\":\"" + monday(10).plusDays(2) + "\"}");
        control("{\"webhookDropNext\":0}");
        assertEquals(202, im().post("/double/control/disconnect", "{\"seconds\":30}").status());
        HubHttp.await("the platform unreachable", Duration.ofSeconds(15),
                () -> im().getAnonymous("/double/stats").status() == -1);
        // a pass starts every 15 s (reconcile.recentSeconds): one that ended just before the cut would leave the
        // outage unseen, so one is asked now, as an operator would
        assertEquals(202, http().post(API + "/reconciliation", "{\"kind\":\"recent\"}").status());
        HubHttp.await("the reconciliation interrupted while the platform is unreachable", Duration.ofSeconds(25),
                () -> http().get(API + "/subscription").body().contains("interrupted"));
        assertEquals("not caught while unreachable", "", convention(lost));
        awaitConvention(lost, "ACCEPTED_BY_VALIDATOR", Duration.ofSeconds(150));
        MADE.addAll(ids);
    }

    @Test
    public void g_theDepartmentsOwnImmersionFeedsTheSameConventions() throws Exception {
        String ref = "CD02-IT-" + Long.toString(System.nanoTime() % 1_000_000L, 36);
        String entry = "{\"reference\":\"" + ref + "\",\"status\":\"ACCEPTED_BY_VALIDATOR\","
                + "\"beneficiary\":{\"firstName\":\"Kevin\",\"lastName\":\"Papier-It\",\"birthdate\":\"1988-02-29\"},"
                + "\"employee\":false,\"host\":{\"siret\":\"99902000300011\",\"businessName\":\"Menuiserie Picarde\"},"
                + "\"dateStart\":\"2025-03-03\",\"dateEnd\":\"2025-03-04\",\"schedule\":["
                + "{\"date\":\"2025-03-03\",\"periods\":[{\"start\":\"08:30\",\"end\":\"12:00\"},{\"start\":\"13:00\",\"end\":\"16:30\"}],\"hoursDone\":7},"
                + "{\"date\":\"2025-03-04\",\"periods\":[{\"start\":\"08:30\",\"end\":\"12:00\"}],\"hoursDone\":3}],"
                + "\"totalHours\":10.5,\"hoursDone\":10,\"assessment\":{\"status\":\"COMPLETED\",\"endedWithAJob\":true}}";
        HubHttp.Response bad = http().post("/hub/in/departement/immersions", entry.replace("\"2025-03-04\",\"schedule\"",
                "\"2025-02-30\",\"schedule\""), "X-Message-Id", ref + "-bad");
        assertEquals(bad.body(), 422, bad.status());
        assertTrue(bad.body(), bad.body().contains("dateEnd"));
        HubHttp.Response r = http().post("/hub/in/departement/immersions", entry, "X-Message-Id", ref);
        assertEquals(r.body(), 202, r.status());
        awaitState(HubHttp.field(r.body(), "exchangeId"), "DELIVERED", Duration.ofSeconds(60));
        String c = convention("cd-" + ref);
        assertTrue(c, c.contains("\"source\":\"departement\""));
        assertTrue(c, c.matches("(?s).*\"doneHours\":10(\\.0+)?[,}].*"));
        assertTrue(c, c.matches("(?s).*\"plannedHours\":10\\.50?[,}].*"));
        String list = http().get(API + "/conventions?from=2025-03-01&to=2025-03-31").body();
        assertTrue(list, list.contains("cd-" + ref));
        // the canonical shape is published in the hub's OpenAPI document (describeApi)
        String openapi = http().get("/hub/api/openapi.json").body();
        assertTrue(openapi.contains("/in/departement/immersions"));
        assertTrue(openapi.contains("immersion-facilitee.DepartmentImmersion"));
        assertTrue(openapi.contains("/api/immersion-facilitee/conventions/{key}"));
    }

    @Test
    public void h_noRqthValueAndNoEmergencyContactAnywhere() throws Exception {
        control("{\"outage\":false,\"status429Next\":0,\"webhookDropNext\":0}"); // whatever an earlier failure left
        // the fixtures the hub keeps carry emergency contacts, and one isRqth true: none is kept
        String fixtureRead = im().getAnonymous("/double/control/conventions/" + RQTH_FIXTURE).body();
        assertTrue(fixtureRead, fixtureRead.contains("\"isRqth\":true"));
        String person = HubHttp.field(convention(RQTH_FIXTURE), "personId");
        assertNotNull(person);
        Map<String, Object> all = registry.subjectAccess(person, new fr.aisne.hub.registry.Access("itest", fr.aisne.hub.registry.Access.SUBJECT_ACCESS)).orElseThrow();
        String everything = all.toString();
        assertFalse("no rqth without a disclosure rule naming it: " + everything, everything.contains("rqth"));

        Set<String> contacts = new LinkedHashSet<>();
        for (String kept : keptPlatformConventions()) {
            String read = im().getAnonymous("/double/control/conventions/" + kept).body();
            for (String f : List.of("emergencyContact", "emergencyContactPhone", "emergencyContactEmail")) {
                String v = HubHttp.field(read, f);
                if (v != null && v.length() > 4) {
                    contacts.add(v);
                }
            }
        }
        assertFalse("the double's fixtures the hub keeps carry emergency contacts", contacts.isEmpty());
        String journal = http().get("/hub/api/messages?partner=immersion-facilitee&limit=1000").body()
                + http().get("/hub/api/messages?partner=departement&limit=1000").body();
        String log = Files.readString(Paths.get(System.getProperty("karaf.data"), "log", "karaf.log"));
        for (String v : contacts) {
            assertFalse("an emergency contact in the journal", journal.contains(v));
            assertFalse("an emergency contact in karaf.log", log.contains(v));
        }
        for (String kept : keptPlatformConventions()) {
            String c = convention(kept);
            String p = HubHttp.field(c, "personId");
            if (p != null) {
                String record = registry.subjectAccess(p, new fr.aisne.hub.registry.Access("itest", fr.aisne.hub.registry.Access.SUBJECT_ACCESS)).map(Object::toString).orElse("");
                for (String v : contacts) {
                    assertFalse("an emergency contact in the registry", record.contains(v));
                }
                assertFalse(record, record.contains("rqth"));
            }
        }
        // what the journal keeps of each call for these conventions (the payload preview an admin sees)
        List<String> ids = new ArrayList<>();
        for (String c : MADE) {
            journalFor(c).forEach(x -> ids.add(HubHttp.field(x, "id")));
        }
        journalFor(RQTH_FIXTURE).forEach(x -> ids.add(HubHttp.field(x, "id")));
        assertFalse(ids.isEmpty());
        for (String x : ids) {
            journal += http().get("/hub/api/messages/" + x).body();
        }
        assertTrue("payload previews read: " + journal.length(), journal.contains("conventionId"));
        assertFalse(journal, journal.contains("isRqth"));
        assertFalse(journal, journal.contains("emergencyContact"));
        assertFalse("no isRqth in karaf.log", log.contains("isRqth"));
        assertFalse("no key in karaf.log", log.contains(KEY.substring(40, 80)));
        String secret = secret(subscriptionsRead());
        assertNotNull("the subscription's secret read from the platform", secret);
        assertFalse("no webhook secret in karaf.log", log.contains(secret));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static HubHttp im() {
        return new HubHttp("http://127.0.0.1:" + IF_PORT, "", "");
    }

    /** A call as the platform makes it: JSON, the static header when given, no Basic authentication. */
    private static HubHttp.Response platformCall(String json, String authorization) {
        try {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + HTTP_PORT + WEBHOOK)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(json));
            if (authorization != null) {
                b.header("authorization", authorization);
            }
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(b.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new HubHttp.Response(r.statusCode(), r.body());
        } catch (Exception e) {
            return new HubHttp.Response(-1, e.toString());
        }
    }

    /** Webhook calls the hub journaled as duplicates (the same body twice). */
    private long duplicates() {
        return count(http().get("/hub/api/messages?partner=immersion-facilitee&flow=conventions&state=DUPLICATE&limit=1000")
                .body(), "\"sender\":\"immersion-facilitee-webhook\"");
    }

    /** The journal entries of flow immersion-facilitee/conventions for one convention (its ordering key). */
    private List<String> journalFor(String id) {
        String body = http().get("/hub/api/messages?partner=immersion-facilitee&flow=conventions&limit=1000").body();
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\{[^{}]*\"orderingKey\":\"" + id + "\"[^{}]*\\}").matcher(body);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * The list, once the platform gives it: it counts in the hub key's 5 calls/s, and a 429 locks the key for 5 s,
     * each call meanwhile starting the lock again; so it is asked 6 s apart, never in a tight loop.
     */
    private static String subscriptionsRead() throws InterruptedException {
        for (int i = 0; i < 8; i++) {
            String s = subscriptions();
            if (!s.isEmpty()) {
                return s;
            }
            Thread.sleep(6_000);
        }
        return "";
    }

    /** The hub's subscriptions as the platform lists them (read with the hub's key). */
    private static String subscriptions() {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + IF_PORT + "/api/v2/webhooks"))
                            .header("authorization", KEY).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** The static authorization header of the hub's subscription. */
    private static String secret(String subscriptions) {
        Matcher m = Pattern.compile("\"authorization\":\"([^\"]+)\"").matcher(subscriptions);
        return m.find() ? m.group(1) : null;
    }

    private static String webhookBody(String id, String status) {
        return "{\"payload\":{\"convention\":{\"id\":\"" + id + "\",\"status\":\"" + status + "\"}},"
                + "\"subscribedEvent\":\"convention.updated\"}";
    }

    private long journaledWebhookCalls() {
        String body = http().get("/hub/api/messages?partner=immersion-facilitee&flow=conventions&limit=1000").body();
        return count(body, "\"sender\":\"immersion-facilitee-webhook\"");
    }

    private static void control(String json) {
        HubHttp.Response r = im().post("/double/control", json);
        assertEquals(r.body(), 200, r.status());
    }

    private static long stat(String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(im().getAnonymous("/double/stats").body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Creates a convention at the double; returns its id. */
    private static String create(String json) {
        HubHttp.Response r = im().post("/double/control/conventions", json);
        assertEquals(r.body(), 201, r.status());
        Matcher m = ID.matcher(r.body());
        assertTrue(r.body(), m.find());
        MADE.add(m.group(1));
        return m.group(1);
    }

    private static void act(String id, String json) {
        HubHttp.Response r = im().post("/double/control/conventions/" + id, json);
        assertEquals(json + ": " + r.body(), 200, r.status());
    }

    /** The entries of the double's delivery log for one convention. */
    private static List<String> callsFor(String deliveries, String id) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\{[^{}]*\"conventionId\":\"" + id + "\"[^{}]*\\}").matcher(deliveries);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private String convention(String key) {
        HubHttp.Response r = http().get(API + "/conventions/" + key);
        return r.status() == 200 ? r.body() : "";
    }

    private String awaitConvention(String key, String status, Duration timeout) {
        String[] last = {""};
        try {
            HubHttp.await("convention " + key + " " + status + " at the hub", timeout, () -> {
                last[0] = convention(key);
                return last[0].contains("\"status\":\"" + status + "\"");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last[0] + "; health: "
                    + http().get("/hub/health").body(), e);
        }
        return last[0];
    }

    /** The platform conventions the hub keeps (fixtures and the scenarios' own). */
    private List<String> keptPlatformConventions() {
        String list = http().get(API + "/conventions?from=2020-01-01&to=2030-12-31").body();
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"key\":\"([0-9a-f-]{36})\"").matcher(list);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static String attribute(String id) {
        return "pmsmp_" + id.replace("-", "");
    }

    /** The Monday {@code weeks} weeks from now. */
    static LocalDate monday(int weeks) {
        return LocalDate.now().plusWeeks(weeks).with(TemporalAdjusters.next(java.time.DayOfWeek.MONDAY));
    }
}
