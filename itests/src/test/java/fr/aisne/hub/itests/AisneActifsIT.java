package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.registry.Access;
import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Aisne-actifs.com in the real distribution (Karaf, Artemis, Derby, HTTP), against its double on port 18989, the
 * persons coming from a CAF flux dropped into the CAF inbox, France Travail's double on 18383:
 * <ol>
 * <li>(a) a CAF household newly subject to rights and duties reaches the platform by webhook, signed (the double
 * refuses a bad signature with 401, so an event it recorded was signed with the shared key), with the identity the
 * disclosure rule gives and never a NIR;</li>
 * <li>(b) the contract's examples, sent by the double as the referents' decisions for that person, are taken by
 * the hub (202, validated by their JSON Schemas) and a broken one refused (422) naming the field; the orientation
 * and the contrat d'engagement reach the registry with provenance aisne-actifs and the department event feed; the
 * sanction request becomes a file the CAF double accepts;</li>
 * <li>(c) the France Travail connector picks up the orientation from the event feed and pushes it to France
 * Travail; the platform does not get its own decisions back by webhook.</li>
 * </ol>
 * Retries are scaled down (0.5 s doubling to 3 s) as in FranceTravailIT.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class AisneActifsIT extends HubTestSupport {
    static final int AA_PORT = Ports.of(18989);
    static final int FT_PORT = Ports.of(18383);
    static final String AA_CFG = "etc/hub.connector.aisneactifs.cfg";
    static final String FT_CFG = "etc/hub.connector.francetravail.cfg";
    static final String KEY = "it-webhook-key-of-at-least-32-characters";
    static final List<String> DECISIONS = List.of("orientation", "referent", "contrat-engagement", "rendez-vous",
            "reorientation", "sanction", "action-entree", "action-sortie");

    @Inject
    PersonRegistry registry;

    @Inject
    DepartmentEvents events;

    /** Shared by the ordered methods. */
    private static String person;

    @Configuration
    public Option[] config() {
        Map<String, String> aa = new LinkedHashMap<>();
        aa.put("webhook.url", "http://127.0.0.1:" + AA_PORT + "/aisne-actifs/webhook");
        aa.put("webhook.secret", KEY);
        aa.put("events.pollSeconds", "1");
        aa.put("retry.initialDelayMs", "500");
        aa.put("retry.maxDelayMs", "3000");
        Map<String, String> ft = new LinkedHashMap<>();
        ft.put("baseUrl", "http://127.0.0.1:" + FT_PORT);
        ft.put("client.secret", "double-secret-change-me");
        ft.put("events.pollSeconds", "1");
        ft.put("partner.ratePerSecond", "25");
        ft.put("batch.dailyAt", "off");
        ft.put("retry.initialDelayMs", "500");
        ft.put("retry.maxDelayMs", "3000");
        List<Option> options = new ArrayList<>(List.of(hubDistribution()));
        options.add(editConfigurationFilePut("etc/hub.double.caf.cfg", "deliver.onStart", "false"));
        options.add(editConfigurationFilePut("etc/hub.connector.caf.cfg", "inbox.stableSeconds", "1"));
        options.add(editConfigurationFilePut("etc/hub.double.francetravail.cfg", "http.port", Integer.toString(FT_PORT)));
        options.add(editConfigurationFilePut("etc/hub.double.francetravail.cfg", "rateLimitPerSecond", "50"));
        options.add(editConfigurationFilePut("etc/hub.double.aisneactifs.cfg", "http.port", Integer.toString(AA_PORT)));
        options.add(editConfigurationFilePut("etc/hub.double.aisneactifs.cfg", "webhook.secret", KEY));
        options.add(editConfigurationFilePut("etc/hub.double.aisneactifs.cfg", "hub.url", "http://127.0.0.1:" + HTTP_PORT + "/hub"));
        aa.forEach((k, v) -> options.add(editConfigurationFilePut(AA_CFG, k, v)));
        ft.forEach((k, v) -> options.add(editConfigurationFilePut(FT_CFG, k, v)));
        // the contract's examples, read by the test inside the container
        options.add(systemProperty("aisne.contract.dir").value(new File("../docs/contracts/aisne-actifs/v1").getAbsolutePath()));
        return OptionUtils.combine(options.toArray(new Option[0]));
    }

    @Test
    public void a_aCafHouseholdSubjectToRightsAndDutiesReachesThePlatformBySignedWebhook() throws Exception {
        installFeature("hub-double-caf");
        installFeature("hub-connector-caf");
        installFeature("hub-double-francetravail");
        installFeature("hub-connector-francetravail");
        installFeature("hub-double-aisne-actifs");
        installFeature("hub-connector-aisne-actifs");
        awaitHealthUp();
        HubHttp.await("aisne-actifs connector installed", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"aisne-actifs\""));
        HubHttp.await("Aisne-actifs.com double listening on " + AA_PORT, Duration.ofSeconds(30),
                () -> aa().getAnonymous("/double/control/recus").status() == 200);

        Path inbox = Paths.get(System.getProperty("karaf.data"), "inbox", "caf");
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve(".RSABEM-aa-it.xml.part");
        Files.write(tmp, new CafFluxGenerator().toBytes(CafFluxGenerator.monthly(30, 2026)));
        Files.move(tmp, inbox.resolve("RSABEM-aa-it.xml"), StandardCopyOption.ATOMIC_MOVE);
        awaitCafMessage("RSABEM-aa-it.xml", "DELIVERED");
        HubHttp.await("new households subject to rights and duties published", Duration.ofSeconds(60),
                () -> !events.since(0, 1, Set.of(DepartmentEvent.NEW_HOUSEHOLD_SDD)).isEmpty());

        // a person the France Travail double finds with a file (its fixture rule: NIR order number ends 00-39)
        List<DepartmentEvent> sdd = events.since(0, 1000, Set.of(DepartmentEvent.NEW_HOUSEHOLD_SDD));
        List<String> nirs = new ArrayList<>();
        for (DepartmentEvent e : sdd) {
            Object nir = registry.subjectAccess(e.personId(), new Access("it-test", Access.SUBJECT_ACCESS)).orElseThrow().get("nir");
            if (nir != null) {
                nirs.add(nir.toString());
                if (person == null && Integer.parseInt(nir.toString().substring(11, 13)) < 40) {
                    person = e.personId();
                }
            }
        }
        assertTrue("a person the France Travail double knows", person != null);

        String[] got = {""};
        HubHttp.await("the double received the person's foyer.nouveau-soumis-droits-devoirs", Duration.ofSeconds(60), () -> {
            got[0] = aa().getAnonymous("/double/control/recus?type=foyer.nouveau-soumis-droits-devoirs&personId=" + person).body();
            return got[0].contains("\"personId\":\"" + person + "\"");
        });
        assertTrue(got[0], got[0].contains("\"source\":\"caf\""));
        assertTrue(got[0], got[0].contains("\"orientation_avant\""));
        assertTrue("identity disclosed (disclose.aisne-actifs.evenements): " + got[0], got[0].contains("\"nom_naissance\""));
        assertFalse(got[0], got[0].contains("\"nir\""));
        for (String nir : nirs) {
            assertFalse("no NIR in what the platform received", got[0].contains(nir));
        }
        String all = aa().getAnonymous("/double/control/recus").body();
        assertTrue("the double refused no call from the hub (each was signed with the shared key): " + all,
                all.contains("\"refuses\":0"));
        // the double records the webhook before it answers, and the hub journals DELIVERED after the answer
        HubHttp.await("the webhook journaled DELIVERED", Duration.ofSeconds(15), () -> http()
                .get("/hub/api/messages?partner=aisne-actifs&flow=webhooks").body().contains("\"state\":\"DELIVERED\""));
    }

    @Test
    public void b_theContractExamplesSentByTheDoubleReachTheRegistryAndTheEventFeed() throws Exception {
        Path dir = Paths.get(System.getProperty("aisne.contract.dir"), "examples");
        for (String type : DECISIONS) {
            String example = Files.readString(dir.resolve(type + ".json"), StandardCharsets.UTF_8)
                    .replace("6f1c2a4e-8b3d-4c9a-9e21-3b7f0d5a1c42", person);
            HubHttp.Response r = aa().post("/double/control/envoyer", "{\"type\":\"" + type + "\",\"decision\":" + example + "}");
            assertEquals(r.body(), 200, r.status());
            assertTrue(type + ": " + r.body(), r.body().contains("\"status\":202"));
        }
        // a broken decision: 422 naming the field, never recorded
        String broken = Files.readString(dir.resolve("invalide-contrat-engagement-sans-motif-minoration.json"),
                StandardCharsets.UTF_8).replace("6f1c2a4e-8b3d-4c9a-9e21-3b7f0d5a1c42", person);
        HubHttp.Response refused = aa().post("/double/control/envoyer", "{\"type\":\"contrat-engagement\",\"decision\":" + broken + "}");
        assertTrue(refused.body(), refused.body().contains("\"status\":422"));
        assertTrue(refused.body(), refused.body().contains("motifMinoration"));

        HubHttp.await("every decision delivered", Duration.ofSeconds(60), () -> {
            String body = http().get("/hub/api/messages?partner=aisne-actifs&limit=1000").body();
            return count(body, "\"state\":\"DELIVERED\"") >= DECISIONS.size() + 1 // + the webhooks
                    && !body.matches("(?s).*\"state\":\"(RECEIVED|VALIDATED|QUEUED|FAILED|REPLAYED)\".*");
        });
        ConsolidatedPerson p = registry.find(person).orElseThrow();
        assertEquals("PSO", p.attributes().get("orientation_parcours").value());
        assertEquals("aisne-actifs", p.attributes().get("orientation_parcours").source().partner());
        assertEquals("organisme-delegue", p.attributes().get("orientation_organisme_type").value());
        assertEquals("15", p.attributes().get("cer_heures_hebdo").value());
        assertEquals("2027-03-20", p.attributes().get("cer_date_signature").value());
        assertEquals("aisne-actifs", p.attributes().get("cer_date_signature").source().partner());
        assertEquals("ref.martin", p.attributes().get("referent_id").value());
        assertEquals("UTAS-SOISSONS", p.attributes().get("utas").value());
        String provenance = p.attributes().get("cer_date_signature").source().exchangeId();
        String journal = http().get("/hub/api/messages/" + provenance).body();
        assertTrue("the provenance is the journaled decision: " + journal, journal.contains("\"flow\":\"contrat-engagement\""));

        List<String> types = events.since(0, 10_000, Set.of()).stream().filter(e -> person.equals(e.personId())
                && "aisne-actifs".equals(e.sourcePartner())).map(DepartmentEvent::type).toList();
        for (String t : List.of(DepartmentEvent.ORIENTATION_DECIDED, DepartmentEvent.REFERENT_DESIGNATED, DepartmentEvent.CER_SIGNED,
                DepartmentEvent.APPOINTMENT_PLANNED, DepartmentEvent.REORIENTATION_REQUESTED, DepartmentEvent.SANCTION_REQUESTED,
                DepartmentEvent.ACTION_ENTERED, DepartmentEvent.ACTION_LEFT)) {
            assertEquals(t + " once in " + types, 1, types.stream().filter(t::equals).count());
        }

        // the sanction request: a file for the CAF, which the CAF double checks and accepts
        HubHttp.await("sanction file accepted by the CAF double", Duration.ofSeconds(30), () -> {
            try (Stream<Path> s = Files.list(Paths.get(System.getProperty("karaf.data"), "outbox", "caf-sanctions", "accepted"))) {
                return s.anyMatch(f -> f.getFileName().toString().startsWith("DEMSANC_002_"));
            } catch (java.io.IOException e) {
                return false;
            }
        });
        // the same decision sent again is a duplicate: recorded once
        String again = Files.readString(dir.resolve("orientation.json"), StandardCharsets.UTF_8)
                .replace("6f1c2a4e-8b3d-4c9a-9e21-3b7f0d5a1c42", person);
        HubHttp.Response dup = aa().post("/double/control/envoyer", "{\"type\":\"orientation\",\"decision\":" + again + "}");
        assertTrue(dup.body(), dup.body().contains("\"status\":200") && dup.body().contains("DUPLICATE"));
    }

    @Test
    public void c_franceTravailPicksUpTheOrientationAndThePlatformDoesNotGetItsOwnDecisionsBack() throws Exception {
        DepartmentEvent decided = events.since(0, 10_000, Set.of(DepartmentEvent.ORIENTATION_DECIDED)).stream()
                .filter(e -> person.equals(e.personId())).findFirst().orElseThrow();
        String corr = "evt-" + decided.seq();
        String[] body = {""};
        HubHttp.await("France Travail orientation " + corr + " delivered", Duration.ofSeconds(90), () -> {
            body[0] = http().get("/hub/api/messages?partner=france-travail&correlationId=" + corr).body();
            return body[0].contains("\"state\":\"DELIVERED\"");
        });
        Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(body[0]);
        assertTrue(body[0], m.find());
        String journal = http().get("/hub/api/messages/" + m.group(1)).body();
        assertTrue(journal, journal.contains("\"flow\":\"orientation\""));
        assertTrue(journal, journal.contains("orientation PSO pushed to France Travail"));
        String own = aa().getAnonymous("/double/control/recus?type=orientation.decidee").body();
        assertTrue(own, own.contains("\"evenements\":[]"));
        // what France Travail said reaches the platform too: the identification and the orientation read back
        String[] ft = {""};
        HubHttp.await("France Travail's identification and orientation read back reach the platform", Duration.ofSeconds(60), () -> {
            ft[0] = aa().getAnonymous("/double/control/recus?personId=" + person).body();
            return ft[0].contains("\"type\":\"france-travail.identifie\"") && ft[0].contains("\"type\":\"orientation.lue-france-travail\"");
        });
        assertTrue(ft[0], ft[0].contains("\"parcours\":\"PSO\""));
        // the department's organisation stays the retained value (authority.orientation_organisme = aisne-actifs)
        assertEquals("Association Insertion Soissonnais", registry.find(person).orElseThrow().attributes()
                .get("orientation_organisme").value());
    }

    private static HubHttp aa() {
        return new HubHttp("http://127.0.0.1:" + AA_PORT, "", "");
    }
}
