package fr.aisne.hub.connector.ouiform.internal;

import static fr.aisne.hub.connector.ouiform.internal.Fixture.request;
import static fr.aisne.hub.connector.ouiform.internal.Fixture.soapAnswer;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.testing.DeliveryFailures;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.connector.ouiform.contract.Messages.EvenementStatut;
import fr.aisne.hub.connector.ouiform.testing.StubOuiForm.Answer;
import fr.aisne.hub.registry.DepartmentEvent;

/**
 * Statuses coming back: recorded once, put in order by their sequence, final statuses kept final, recorded in the
 * registry with provenance ouiform (placed by the prescription's identifier) and, for an entry, an exit or an
 * abandonment, published in the department's event feed once.
 */
public class StatusHandlerTest {
    private Fixture f;
    private String person;

    @Before
    public void setUp() throws Exception {
        f = new Fixture();
        person = f.camille();
        f.ouiform.then(Answer.of(200, "text/xml", soapAnswer("soumettrePrescription.reponse.xml")));
        f.prescribe("0e4f5c2a-0000-4000-8000-0000000000a1", request(person, "02_SE_0000101_1"));
    }

    @After
    public void tearDown() {
        f.close();
    }

    private static EvenementStatut evt(long seq, String statut, String date, String motif) {
        return new EvenementStatut("EVT-OF-2026-000123-" + seq + statut.charAt(0), "OF-2026-000123", "HUB-2026-000001", seq,
                statut, date, motif, date + "T09:00:05+01:00");
    }

    private DeliveryResult deliver(EvenementStatut e, String exchangeId) throws DeliveryFailure {
        TestDelivery d = Fixture.delivery(f.runtime.statutsFlow, exchangeId, Json.write(e), e.idEvenement());
        return f.runtime.statutsFlow.deliveryHandler().deliver(d);
    }

    @Test
    public void statusesAreAppliedInOrderRecordedInTheRegistryAndPublished() throws Exception {
        DeliveryResult positionne = deliver(evt(2, "positionne", "2026-12-08", null), "0e4f5c2a-0000-4000-8000-0000000000b2");
        assertTrue(positionne.detail(), positionne.detail().startsWith("status positionne (sequence 2, 2026-12-08) of "
                + "HUB-2026-000001 / OF-2026-000123 applied; registry: CERTAIN (identifier ouiform:prescription) person "
                + person));
        assertEquals("positionne", f.registry.attribute(person, "formation_statut"));
        assertEquals("0e4f5c2a-0000-4000-8000-0000000000b2",
                f.registry.attributeWithSource(person, "formation_statut").source().exchangeId());
        assertTrue("no event for positionne", f.events.since(0, 100, Set.of()).isEmpty());

        DeliveryResult entre = deliver(evt(3, "entre", "2027-01-04", null), "0e4f5c2a-0000-4000-8000-0000000000b3");
        assertTrue(entre.detail(), entre.detail().endsWith("department event formation.entree"));
        List<DepartmentEvent> events = f.events.since(0, 100, Set.of());
        assertEquals(1, events.size());
        DepartmentEvent e = events.get(0);
        assertEquals(StatusHandler.ENTREE, e.type());
        assertEquals(person, e.personId());
        assertEquals("ouiform", e.sourcePartner());
        assertEquals("0e4f5c2a-0000-4000-8000-0000000000b3", e.sourceExchange());
        assertEquals(Map.of("idPrescriptionHub", "HUB-2026-000001", "idPrescriptionOuiForm", "OF-2026-000123",
                "idSession", "02_SE_0000101_1", "statut", "entre", "dateEffet", "2027-01-04", "sequence", "3"), e.details());
        assertEquals("2027-01-04", f.registry.attribute(person, "formation_statut_date"));

        // the same exchange delivered again (a crash after the work, before the journal): nothing twice
        DeliveryResult again = deliver(evt(3, "entre", "2027-01-04", null), "0e4f5c2a-0000-4000-8000-0000000000b3");
        assertTrue(again.detail(), again.detail().contains("(already in the feed)"));
        assertEquals(1, f.events.since(0, 100, Set.of()).size());

        // sequence 2 arriving after 3: history, not the current status
        DeliveryResult late = deliver(new EvenementStatut("EVT-late", "OF-2026-000123", "HUB-2026-000001", 2L, "positionne",
                "2026-12-08", null, "2026-12-08T09:00:05+01:00"), "0e4f5c2a-0000-4000-8000-0000000000b4");
        assertTrue(late.detail(), late.detail().contains("kept, not applied: sequence 2 received after sequence 3 "
                + "(out of order)"));
        assertEquals("entre", f.runtime.prescriptions.find("HUB-2026-000001").orElseThrow().statut());

        DeliveryResult abandon = deliver(evt(4, "abandon", "2027-01-20", "Reprise d'emploi"),
                "0e4f5c2a-0000-4000-8000-0000000000b5");
        assertTrue(abandon.detail(), abandon.detail().contains("department event formation.abandon"));
        assertEquals("Reprise d'emploi", f.events.since(0, 100, Set.of(StatusHandler.ABANDON)).get(0).details().get("motif"));
        var row = f.runtime.prescriptions.find("HUB-2026-000001").orElseThrow();
        assertEquals("abandon", row.statut());
        assertEquals("Reprise d'emploi", row.motif());

        DeliveryResult afterFinal = deliver(evt(5, "sorti", "2027-02-01", null), "0e4f5c2a-0000-4000-8000-0000000000b6");
        assertTrue(afterFinal.detail(), afterFinal.detail().contains("kept, not applied: the prescription's status "
                + "abandon is final"));
        assertEquals("abandon", f.registry.attribute(person, "formation_statut"));
        assertEquals(5, f.runtime.prescriptions.history("HUB-2026-000001").size());
    }

    @Test
    public void aStatusWaitsForThePrescriptionsAnswerAndTheFeed() throws Exception {
        String other = f.camille();
        f.ouiform.then(Answer.of(503, "text/plain", ""));
        DeliveryFailures.temporary(() -> f.prescribe("0e4f5c2a-0000-4000-8000-0000000000c1", request(other, "S2")));
        EvenementStatut early = new EvenementStatut("EVT-early", "OF-2026-000999", "HUB-2026-000002", 2L, "positionne",
                "2026-12-08", null, "2026-12-08T09:00:05+01:00");
        DeliveryFailure waits = DeliveryFailures.temporary(() -> deliver(early, "0e4f5c2a-0000-4000-8000-0000000000c2"));
        assertTrue(waits.getMessage(), waits.getMessage().contains("is not recorded yet"));

        EvenementStatut unknown = new EvenementStatut("EVT-x", "OF-1", "HUB-1999-000001", 2L, "entre", "2026-12-08", null,
                "2026-12-08T09:00:05+01:00");
        assertTrue(DeliveryFailures.permanent(() -> deliver(unknown, "0e4f5c2a-0000-4000-8000-0000000000c3")).getMessage()
                .startsWith("PRESCRIPTION_INCONNUE"));

        StatusHandler noFeed = new StatusHandler(f.runtime.prescriptions, new RegistryRecorder(f.registry, f.clock),
                () -> null);
        DeliveryFailure feedAway = DeliveryFailures.temporary(() -> noFeed.deliver(Fixture.delivery(f.runtime.statutsFlow,
                "0e4f5c2a-0000-4000-8000-0000000000c4", Json.write(evt(3, "entre", "2027-01-04", null)), "EVT-3e")));
        assertTrue(feedAway.getMessage(), feedAway.getMessage().contains("event feed"));
        assertFalse(f.events.since(0, 10, Set.of()).stream().anyMatch(e -> e.sourceExchange().endsWith("c4")));
    }
}
