package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;

import javax.inject.Inject;

import org.osgi.service.cm.ConfigurationAdmin;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import fr.aisne.hub.doubles.caf.BadFlux;
import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.doubles.caf.Household;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The CAF connector in the real distribution: flux files dropped into data/inbox/caf are journaled,
 * imported into the registry with the CAF as source, taken once (the same file again is a duplicate), and
 * bad files are rejected whole, quarantined with file, line and rule, with nothing reaching the registry;
 * what changed reaches the department's event feed through a journaled exchange; a quarantined file is
 * replayed once the connector's settings accept it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CafConnectorIT extends HubTestSupport {
    @Inject
    PersonRegistry registry;

    @Inject
    DepartmentEvents events;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(hubDistribution(),
                editConfigurationFilePut("etc/hub.double.caf.cfg", "deliver.onStart", "false"),
                editConfigurationFilePut("etc/hub.connector.caf.cfg", "inbox.stableSeconds", "1"));
    }

    @Test
    public void fluxFilesAreImportedOnceAndBadFilesRejectedWhole() throws Exception {
        installFeature("hub-double-caf");
        installFeature("hub-connector-caf");
        awaitHealthUp();
        HubHttp.await("caf connector installed", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"caf\""));
        Path inbox = Paths.get(System.getProperty("karaf.data"), "inbox", "caf");
        Files.createDirectories(inbox);

        CafFluxGenerator generator = new CafFluxGenerator();
        CafFluxGenerator.Spec monthly = CafFluxGenerator.monthly(40, 77);
        List<Household> sent = new ArrayList<>();
        generator.forEachHousehold(monthly, sent::add);
        byte[] file = generator.toBytes(monthly);
        drop(inbox, "RSABEM-it.xml", file);
        String id = awaitCafMessage("RSABEM-it.xml", "DELIVERED");
        String detail = http().get("/hub/api/messages/" + id).body();
        assertTrue(detail, detail.contains("CAF flux M of"));
        assertTrue(detail, detail.contains("40 households"));

        Household first = sent.get(0);
        List<String> persons = registry.findByHousehold(first.numorg(), first.matricule());
        assertEquals(first.persons().size(), persons.size());
        var person = registry.find(persons.get(0)).orElseThrow();
        assertEquals("caf", person.attributes().get("prenom").source().partner());
        assertEquals("the journal id of the file is the provenance", id, person.attributes().get("prenom").source().exchangeId());
        assertTrue(person.hasNir());

        // The department learns who must be oriented: events journaled (partner departement), then in its feed.
        HubHttp.await("events in the department feed", Duration.ofSeconds(30), () -> events.lastSeq() > 0);
        List<DepartmentEvent> feed = events.since(0, 1000, Set.of(DepartmentEvent.NEW_HOUSEHOLD_SDD));
        assertFalse("a generated population has persons subject to rights and duties", feed.isEmpty());
        for (DepartmentEvent e : feed) {
            assertEquals(id, e.sourceExchange());
            assertEquals("1", registry.find(e.personId()).orElseThrow().attributes().get("soumis_droits_devoirs").value());
        }
        String page = http().get("/hub/api/departement/evenements?apres=0&limite=5").body();
        assertTrue(page, page.contains("\"type\":\"" + DepartmentEvent.NEW_HOUSEHOLD_SDD + "\""));
        assertTrue(page, page.contains("\"orientation_avant\""));
        // the feed is written inside the delivery, before the core journals it DELIVERED
        HubHttp.await("the events' batch journaled DELIVERED", Duration.ofSeconds(15), () -> {
            String journal = http().get("/hub/api/messages?partner=departement").body();
            return journal.contains("\"flow\":\"evenements-rsa\"") && journal.contains("\"state\":\"DELIVERED\"");
        });

        // The same file again (a re-sent transfer): recorded as a duplicate, not imported twice.
        drop(inbox, "RSABEM-it-again.xml", file);
        String again = awaitCafMessage("RSABEM-it-again.xml", "DUPLICATE");
        assertTrue(http().get("/hub/api/messages/" + again).body().contains("duplicate of exchange " + id));
        assertEquals(first.persons().size(), registry.findByHousehold(first.numorg(), first.matricule()).size());

        // Bad files: each rejected whole, with the file, the line and the rule; a copy waits in quarantine.
        List<Household> badHouseholds = new ArrayList<>();
        generator.forEachHousehold(BadFlux.DEFAULT_BASE, badHouseholds::add);
        String[][] cases = {
            {"wrong-totals.xml", "control total NBTOTDOSRSATRANSM"},
            {"xsd-invalid.xml", "cvc-"},
            {"msa.xml", "APPLIEME AGO is not accepted"},
            {"xxe.xml", "DOCTYPE declarations are refused"},
            {"truncated.xml", "truncated"},
        };
        byte[][] contents = {BadFlux.wrongTotals(), BadFlux.xsdInvalid(), BadFlux.msa(), BadFlux.externalEntity(),
            BadFlux.truncated()};
        for (int i = 0; i < cases.length; i++) {
            drop(inbox, cases[i][0], contents[i]);
            String bad = awaitCafMessage(cases[i][0], "QUARANTINED");
            String reason = http().get("/hub/api/messages/" + bad).body();
            assertTrue(reason, reason.contains(cases[i][0] + " line "));
            assertTrue(reason, reason.contains(cases[i][1]));
            assertTrue("quarantine copy of " + cases[i][0], Files.exists(Paths.get(System.getProperty("karaf.data"),
                    "quarantine", "caf", bad + "-" + cases[i][0] + ".reason.txt")));
        }
        for (Household h : badHouseholds) {
            assertEquals("nothing of a bad file reaches the registry", List.of(),
                    registry.findByHousehold(h.numorg(), h.matricule()));
        }
        // An operator accepts MSA files after all (settings), then replays the quarantined one: imported.
        String msa = awaitCafMessage("msa.xml", "QUARANTINED");
        var cfg = configAdmin.getConfiguration("hub.connector.caf", null);
        Dictionary<String, Object> props = cfg.getProperties() == null ? new Hashtable<>() : cfg.getProperties();
        props.put("accepted.applications", "CRI, AGO");
        cfg.update(props);
        HubHttp.await("caf connector rebuilt with the new settings", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"caf\""));
        HubHttp.await("replay accepted", Duration.ofSeconds(30),
                () -> http().post("/hub/api/messages/" + msa + "/replay", "{}").status() == 200);
        HubHttp.await("replayed MSA file DELIVERED", Duration.ofSeconds(60),
                () -> "DELIVERED".equals(http().stateOf(msa)));
        Household msaFirst = badHouseholds.get(0);
        assertFalse("the replayed file reached the registry",
                registry.findByHousehold(null, msaFirst.matricule()).isEmpty());

        String metrics = http().getAnonymous("/hub/metrics").body();
        assertTrue(metrics, metrics.contains(
                "hub_messages_total{partner=\"caf\",flow=\"flux-rsa\",direction=\"inbound\",state=\"QUARANTINED\"} 5"));
        assertFalse(Files.readString(Paths.get(System.getProperty("karaf.data"), "log", "karaf.log"))
                .contains(first.persons().get(0).nir()));
    }

}
