package fr.aisne.hub.connector.aisneactifs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.PersonObservation;

/** Each decision of the contract's examples mapped to the registry attributes and department events of the vocabulary. */
public class DecisionHandlerTest {
    static final String P = "6f1c2a4e-8b3d-4c9a-9e21-3b7f0d5a1c42";
    private static final DecisionSchemas SCHEMAS = new DecisionSchemas();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final FakeRegistry fake = new FakeRegistry();
    private final List<String> toCaf = new ArrayList<>();

    private DeliveryResult deliver(Decision d, String exchange, String json) throws DeliveryFailure {
        return new DecisionHandler(d, SCHEMAS, fake.registry(), fake::feed, (body, id) -> {
            toCaf.add(id + " " + body);
            return "request QUEUED";
        }).deliver(TestDelivery.json("aisne-actifs", d.path, exchange, json));
    }

    private DeliveryResult deliverExample(Decision d, String exchange) throws Exception {
        return deliver(d, exchange, Json.write(ContractTest.example(d.path)));
    }

    @Test
    public void anOrientationIsRecordedOnThePersonWithProvenanceAndPublishedOnce() throws Exception {
        fake.person(P, "021", "0123456");
        DeliveryResult r = deliverExample(Decision.ORIENTATION, "ex-1");
        assertTrue(r.detail(), r.detail().contains("registry: orientation_parcours"));
        PersonObservation o = fake.observations.get(0);
        assertEquals("aisne-actifs", o.sourcePartner());
        assertEquals("ex-1", o.sourceExchange());
        assertEquals(Map.of(PersonObservation.REGISTRY_ID, P), o.identifiers());
        assertEquals(Map.of("orientation_parcours", "PSO", "orientation_organisme_type", "organisme-delegue",
                "orientation_organisme", "Association Insertion Soissonnais", "orientation_date", "2027-03-02",
                "utas", "UTAS-SOISSONS"), o.attributes());
        assertEquals(Instant.parse("2027-03-02T09:15:00Z"), o.observedAt());
        DepartmentEvent e = fake.events.get(0);
        assertEquals(DepartmentEvent.ORIENTATION_DECIDED, e.type());
        assertEquals(P, e.personId());
        assertEquals("021/0123456", e.householdKey());
        assertEquals("aisne-actifs", e.sourcePartner());
        assertEquals(Map.of("parcours", "PSO", "origine", "DEPARTEMENT", "organisme_type", "organisme-delegue",
                "organisme", "Association Insertion Soissonnais", "date", "2027-03-02"), e.details());
        // delivered again (a crash after the work, before the journal): one event still
        DeliveryResult again = deliverExample(Decision.ORIENTATION, "ex-1");
        assertTrue(again.detail(), again.detail().contains("already published"));
        assertEquals(1, fake.events.size());
    }

    @Test
    public void referentAndContratMapToTheVocabulary() throws Exception {
        fake.person(P, null, null);
        deliverExample(Decision.REFERENT, "ex-r");
        assertEquals(Map.of("referent_id", "ref.martin", "referent_nom", "Paul Martin",
                "referent_organisme", "Association Insertion Soissonnais"), fake.observations.get(0).attributes());
        assertEquals(Map.of("referent_id", "ref.martin", "organisme", "Association Insertion Soissonnais"),
                fake.events.get(0).details());
        assertEquals(DepartmentEvent.REFERENT_DESIGNATED, fake.events.get(0).type());
        assertEquals("no household: the event says so", null, fake.events.get(0).householdKey());

        deliverExample(Decision.CONTRAT_ENGAGEMENT, "ex-c");
        assertEquals(Map.of("cer_date_signature", "2027-03-20", "cer_duree_mois", "3", "cer_heures_hebdo", "15",
                "cer_date_fin", "2027-06-19", "utas", "UTAS-SOISSONS"), fake.observations.get(1).attributes());
        assertEquals(DepartmentEvent.CER_SIGNED, fake.events.get(1).type());
        assertEquals(Map.of("date_signature", "2027-03-20", "duree_mois", "3", "heures_hebdo", "15"), fake.events.get(1).details());

        // without dateFin: signature + duration - 1 day
        com.fasterxml.jackson.databind.node.ObjectNode cer = ContractTest.copy("contrat-engagement");
        cer.remove("dateFin");
        String noEnd = Json.write(cer.put("decisionId", "AA-CER-2"));
        deliver(Decision.CONTRAT_ENGAGEMENT, "ex-c2", noEnd);
        assertEquals("2027-06-19", fake.observations.get(2).attributes().get("cer_date_fin"));
    }

    @Test
    public void appointmentsReorientationActionsAreEventsOnly() throws Exception {
        fake.person(P, "021", "0123456");
        deliverExample(Decision.RENDEZ_VOUS, "ex-1");
        String honoured = Json.write(ContractTest.copy("rendez-vous").put("statut", "honore"));
        deliver(Decision.RENDEZ_VOUS, "ex-2", honoured);
        String missed = Json.write(ContractTest.copy("rendez-vous").put("statut", "non-honore"));
        deliver(Decision.RENDEZ_VOUS, "ex-3", missed);
        deliverExample(Decision.REORIENTATION, "ex-4");
        deliverExample(Decision.ACTION_ENTREE, "ex-5");
        deliverExample(Decision.ACTION_SORTIE, "ex-6");
        assertEquals(List.of(DepartmentEvent.APPOINTMENT_PLANNED, DepartmentEvent.APPOINTMENT_HONOURED,
                DepartmentEvent.APPOINTMENT_MISSED, DepartmentEvent.REORIENTATION_REQUESTED, DepartmentEvent.ACTION_ENTERED,
                DepartmentEvent.ACTION_LEFT), fake.events.stream().map(DepartmentEvent::type).toList());
        assertEquals(Map.of("date", "2027-03-12", "organisme", "Association Insertion Soissonnais", "rendez_vous_id", "RDV-9931"),
                fake.events.get(0).details());
        assertEquals(Map.of("motif", "evolution-parcours", "parcours_demande", "PSP"), fake.events.get(3).details());
        assertEquals(Map.of("action_id", "ACT-0042", "action_libelle", "Atelier CV et recherche d'emploi", "axe",
                "1-etre-accompagne", "organisme", "Association Insertion Soissonnais", "date_entree", "2027-04-01",
                "heures_hebdo", "6"), fake.events.get(4).details());
        assertEquals(Map.of("action_id", "ACT-0042", "date_sortie", "2027-06-30", "motif_sortie", "emploi-durable"),
                fake.events.get(5).details());
        assertTrue("no attribute, no observation", fake.observations.isEmpty());
    }

    @Test
    public void aSanctionIsPublishedAndHandedToTheCafFlow() throws Exception {
        fake.person(P, "021", "0123456");
        DeliveryResult r = deliverExample(Decision.SANCTION, "ex-s");
        assertEquals(DepartmentEvent.SANCTION_REQUESTED, fake.events.get(0).type());
        assertEquals(Map.of("motif", "absence-rendez-vous", "date_constat", "2027-05-07"), fake.events.get(0).details());
        assertEquals(1, toCaf.size());
        assertTrue(toCaf.get(0), toCaf.get(0).startsWith("aa-ex-s {\"personId\":\"" + P + "\""));
        assertTrue(r.detail(), r.detail().contains("CAF: request QUEUED"));
    }

    @Test
    public void anUnknownPersonIsQuarantinedNeverANewPerson() throws Exception {
        DeliveryFailure f = assertThrows(DeliveryFailure.class, () -> deliverExample(Decision.ORIENTATION, "ex-x"));
        assertTrue(f.isPermanent());
        assertTrue(f.getMessage(), f.getMessage().contains("not in the registry"));
        assertTrue(fake.observations.isEmpty());
        assertTrue(fake.events.isEmpty());
    }

    @Test
    public void withoutTheEventFeedTheDecisionWaits() throws Exception {
        fake.person(P, null, null);
        DeliveryFailure f = assertThrows(DeliveryFailure.class, () -> new DecisionHandler(Decision.REFERENT, SCHEMAS,
                fake.registry(), () -> null, null).deliver(TestDelivery.json("aisne-actifs", "referent", "ex-1",
                        Json.write(ContractTest.example("referent")))));
        assertFalse(f.isPermanent());
        assertTrue("nothing recorded before the feed is there", fake.observations.isEmpty());
    }

    @Test
    public void theSanctionFileIsWrittenOnceInTheDocumentedFormat() throws Exception {
        fake.person(P, "021", "0123456");
        fake.disclosable.put("caf.sanction", Map.of("household", List.of(Map.of("numorg", "021", "matricule", "0123456",
                "role", "DEM")), "nom_naissance", "Testnom", "prenom", "Zoé", "date_naissance", "1985-05-01"));
        Path box = tmp.getRoot().toPath().resolve("outbox");
        SanctionFile file = new SanctionFile(fake.registry(), box, new MutableClock(Instant.parse("2027-05-10T14:00:00Z")));
        String request = "{\"personId\":\"" + P + "\",\"decisionId\":\"AA-SAN-2027-000002\",\"motif\":\"absence-rendez-vous\","
                + "\"dateConstat\":\"2027-05-07\",\"demandeLe\":\"2027-05-10T16:00:00+02:00\",\"referentId\":\"ref.martin\",\"source\":\"ex-s\"}";
        DeliveryResult r = file.deliver(TestDelivery.json("caf", "demandes-sanction", "ex-caf-1", request));
        assertTrue(r.detail(), r.detail().contains("DEMSANC_002_20270510160000_excaf1.csv"));
        List<String> lines = Files.readAllLines(box.resolve("DEMSANC_002_20270510160000_excaf1.csv"), Charset.forName("windows-1252"));
        assertEquals(List.of(SanctionFile.HEADER,
                "002;021;0123456;DEM;Testnom;;Zoé;1985-05-01;absence-rendez-vous;2027-05-07;2027-05-10T16:00:00+02:00;ref.martin;AA-SAN-2027-000002",
                "FIN;1"), lines);
        assertEquals(List.of("caf.sanction " + P + " in ex-caf-1"), fake.disclosures);
        DeliveryResult again = file.deliver(TestDelivery.json("caf", "demandes-sanction", "ex-caf-1", request));
        assertTrue(again.detail(), again.detail().contains("already written"));
        try (var s = Files.list(box)) {
            assertEquals(1, s.count());
        }
        // a person without a CAF household: refused with the reason
        fake.person("p-2", null, null);
        fake.disclosable.put("caf.sanction", Map.of("nom_naissance", "Autre"));
        DeliveryFailure f = assertThrows(DeliveryFailure.class, () -> file.deliver(TestDelivery.json("caf", "demandes-sanction",
                "ex-caf-2", request.replace(P, "p-2"))));
        assertTrue(f.isPermanent());
        assertTrue(f.getMessage(), f.getMessage().contains("no CAF household"));
    }
}
