package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpChange;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConvention;
import fr.aisne.hub.registry.DepartmentEvent;

/**
 * Flow immersion-facilitee/conventions end to end without the hub: a hand-over is read again from the (fake) platform,
 * kept or ignored, recorded in the registry, the department's events handed to their flow and published.
 */
public class ConventionFlowTest {
    private Harness h;

    @Before
    public void start() throws Exception {
        h = new Harness("flow");
    }

    @After
    public void stop() {
        h.close();
    }

    private ObjectNode put(String agency, String status) {
        ObjectNode c = PlatformConventions.convention(PlatformConventions.newId(), LocalDate.of(2025, 1, 27),
                LocalDate.of(2025, 2, 7));
        c.put("status", status);
        PlatformConventions.agency(c, agency);
        h.platform.put(c);
        return c;
    }

    private static String id(ObjectNode c) {
        return c.get("id").asText();
    }

    private List<String> events(String type) {
        return h.registry.feed.stream().filter(e -> e.type().equals(type)).map(e -> e.details().get("convention")).toList();
    }

    @Test
    public void aConventionCalledByWebhookIsReadAgainKeptAndTold() throws Exception {
        ObjectNode c = put("cd02", "ACCEPTED_BY_VALIDATOR");
        h.webhook(id(c));
        h.drain();
        List<String> j = h.journal("immersion-facilitee/conventions");
        assertEquals(1, j.size());
        assertTrue(j.get(0), j.get(0).startsWith("immersion-facilitee/conventions DELIVERED convention " + id(c)
                + " ACCEPTED_BY_VALIDATOR, 2025-01-27..2025-02-07, 65 h planned, new; person: new person "));
        assertTrue(j.get(0), j.get(0).contains("events: immersion.validee; rqth not kept (no disclosure rule names rqth)"));
        assertEquals("GET /v2/conventions/" + id(c), h.platform.calls.get(0));

        PmsmpConvention kept = h.runtime.store.find(id(c)).orElseThrow();
        assertTrue(kept.validated());
        assertEquals(0, new BigDecimal("65").compareTo(kept.plannedHours()));
        assertEquals(12, kept.days().size());
        assertEquals("ABSENT", kept.matchState());
        assertNotNull(kept.personId());
        assertEquals(List.of(id(c)), events(ConventionRecorder.VALIDATED));
        DepartmentEvent e = h.registry.feed.get(0);
        assertEquals(kept.personId(), e.personId());
        assertEquals("immersion-facilitee", e.sourcePartner());
        assertEquals("99902000300011", e.details().get("siret"));
        assertEquals("the registry shows it on the person", kept.personId(),
                h.registry.findByIdentifier("immersion-facilitee", "convention", id(c)).get(0));
        String summary = h.registry.attributes.get(kept.personId()).get(ConventionRecorder.attributeName(id(c)));
        assertTrue(summary, summary.contains("\"statut\":\"ACCEPTED_BY_VALIDATOR\"") && summary.contains("\"heures\":65"));
        assertEquals(1, h.runtime.store.changesSince(0, 10).size());
    }

    @Test
    public void duplicatesAndCallsOutOfOrderConvergeToThePlatformsCurrentState() throws Exception {
        ObjectNode c = put("cd02", "IN_REVIEW");
        // the platform validated it since: three calls arrive, the last one claiming the older state, one twice
        c.put("status", "ACCEPTED_BY_VALIDATOR");
        String id = id(c);
        new HandOver(id, HandOver.WEBHOOK, java.time.Instant.now(), "ACCEPTED_BY_VALIDATOR", null, null)
                .handTo(h.ctx.intake(), h.runtime.conventionsFlow, "wh-a", WebhookIntake.SENDER);
        new HandOver(id, HandOver.WEBHOOK, java.time.Instant.now(), "IN_REVIEW", null, null)
                .handTo(h.ctx.intake(), h.runtime.conventionsFlow, "wh-b", WebhookIntake.SENDER);
        new HandOver(id, HandOver.WEBHOOK, java.time.Instant.now(), "IN_REVIEW", null, null)
                .handTo(h.ctx.intake(), h.runtime.conventionsFlow, "wh-b", WebhookIntake.SENDER);
        h.drain();
        List<String> j = h.journal("immersion-facilitee/conventions");
        assertEquals(j.toString(), 3, j.size());
        assertTrue(j.get(1), j.get(1).contains("already read again at"));
        assertEquals("immersion-facilitee/conventions DUPLICATE wh-b", j.get(2));
        assertEquals("one re-read for three calls", 1, h.platform.count("GET /v2/conventions/"));
        assertEquals("ACCEPTED_BY_VALIDATOR", h.runtime.store.find(id).orElseThrow().status());

        // a late call claiming an old state, received after the last read: read again, and nothing moves back
        Thread.sleep(5);
        new HandOver(id, HandOver.WEBHOOK, java.time.Instant.now(), "PARTIALLY_SIGNED", null, null)
                .handTo(h.ctx.intake(), h.runtime.conventionsFlow, "wh-c", WebhookIntake.SENDER);
        h.drain();
        assertEquals("ACCEPTED_BY_VALIDATOR", h.runtime.store.find(id).orElseThrow().status());
        assertTrue(h.journal.get(h.journal.size() - 1), h.journal.get(h.journal.size() - 1).contains(", unchanged;"));
        assertEquals("validated once", List.of(id), events(ConventionRecorder.VALIDATED));
        assertEquals(1, h.runtime.store.history(id).size());
    }

    @Test
    public void aTransferredConventionLeavesTheDepartmentsConventionsWithTheReason() throws Exception {
        ObjectNode c = put("cd02", "IN_REVIEW");
        h.webhook(id(c));
        h.drain();
        long before = h.runtime.store.lastChange();
        h.platform.forbidden.add(id(c)); // transferred to ft-amiens: 403 for the hub's key
        Thread.sleep(5);
        h.webhook(id(c));
        h.drain();
        String last = h.journal.get(h.journal.size() - 1);
        assertTrue(last, last.startsWith("immersion-facilitee/conventions DELIVERED convention " + id(c)
                + " removed from the department's conventions: Immersion Facilitée answers 403 on re-read"));
        PmsmpConvention kept = h.runtime.store.find(id(c)).orElseThrow();
        assertFalse(kept.inDepartment());
        assertTrue(kept.removedReason(), kept.removedReason().contains("transferred to another agency"));
        assertFalse(kept.validated());
        List<PmsmpChange> changes = h.runtime.store.changesSince(before, 10);
        assertEquals("removed", changes.get(changes.size() - 1).what());
        assertEquals("REMOVED", h.runtime.store.history(id(c)).get(1).get("event"));
        String summary = h.registry.attributes.get(kept.personId()).get(ConventionRecorder.attributeName(id(c)));
        assertTrue(summary, summary.contains("\"retrait\":\"Immersion Facilitée answers 403"));

        // a 403 for a convention the hub never kept: ignored, nothing stored
        ObjectNode other = put("cd02", "IN_REVIEW");
        h.platform.forbidden.add(id(other));
        h.webhook(id(other));
        h.drain();
        assertTrue(h.journal.get(h.journal.size() - 1).contains("IGNORED convention " + id(other)));
        assertTrue(h.runtime.store.find(id(other)).isEmpty());
    }

    @Test
    public void aConventionTheDepartmentDoesNotPrescribeIsJournaledIgnoredAndNeverStored() throws Exception {
        ObjectNode laon = put("ft-laon", "ACCEPTED_BY_VALIDATOR");
        ObjectNode somme = put("cd80", "ACCEPTED_BY_VALIDATOR");
        h.webhook(id(laon));
        h.webhook(id(somme));
        h.drain();
        assertEquals(List.of("immersion-facilitee/conventions IGNORED convention " + id(laon) + " not the department's: "
                + "prescribed by its agency of kind pole-emploi, not conseil-departemental; nothing stored",
                "immersion-facilitee/conventions IGNORED convention " + id(somme) + " not the department's: "
                        + "agencyDepartment is 80, not 02; nothing stored"), h.journal);
        assertTrue(h.runtime.store.find(id(laon)).isEmpty());
        assertTrue(h.runtime.store.find(id(somme)).isEmpty());
        assertTrue("nothing recorded about the person", h.registry.observations.isEmpty());
        assertTrue(h.registry.feed.isEmpty());
        assertEquals(0, h.db.count("SELECT COUNT(*) FROM if_convention"));
    }

    @Test
    public void aConventionThatMovesToAnAgencyOutOfTheDepartmentLeavesIt() throws Exception {
        ObjectNode c = put("cd02", "IN_REVIEW");
        h.webhook(id(c));
        h.drain();
        PlatformConventions.agency(c, "ft-laon");
        Thread.sleep(5);
        h.webhook(id(c));
        h.drain();
        PmsmpConvention kept = h.runtime.store.find(id(c)).orElseThrow();
        assertFalse(kept.inDepartment());
        assertEquals("no longer prescribed by the department: prescribed by its agency of kind pole-emploi, not "
                + "conseil-departemental", kept.removedReason());
        PlatformConventions.agency(c, "cd02"); // and back
        Thread.sleep(5);
        h.webhook(id(c));
        h.drain();
        assertTrue(h.runtime.store.find(id(c)).orElseThrow().inDepartment());
        assertEquals("RESTORED", h.runtime.store.history(id(c)).get(2).get("event"));
    }

    @Test
    public void aProbableMatchWaitsForAnOperatorAndIsNotMadeTwice() throws Exception {
        String caf = h.registry.person("Marie", "DURAND", "1990-04-12");
        ObjectNode c = put("cd02", "IN_REVIEW");
        h.webhook(id(c));
        h.drain();
        PmsmpConvention kept = h.runtime.store.find(id(c)).orElseThrow();
        assertEquals("PROBABLE", kept.matchState());
        assertNull(kept.personId());
        assertEquals(1, h.registry.pendingMatches(null, null, null).size());
        assertTrue(h.journal.get(0), h.journal.get(0).contains("person: probable match "));

        c.put("status", "ACCEPTED_BY_VALIDATOR");
        Thread.sleep(5);
        h.webhook(id(c));
        h.drain();
        assertEquals("no second candidate while the first waits", 1, h.registry.pendingMatches(null, null, null).size());
        DepartmentEvent validated = h.registry.feed.get(0);
        assertNull(validated.personId());
        assertEquals("PROBABLE", validated.details().get("rapprochement"));
        assertNotNull(validated.details().get("candidat"));

        // the operator confirms: the connector learns the person, and the registry gets the newer state
        h.registry.confirmMatch((String) h.registry.pendingMatches(null, null, null).get(0).get("id"), "operator");
        h.runtime.resolveMatches();
        kept = h.runtime.store.find(id(c)).orElseThrow();
        assertEquals(caf, kept.personId());
        assertEquals("CERTAIN", kept.matchState());
        String summary = h.registry.attributes.get(caf).get(ConventionRecorder.attributeName(id(c)));
        assertTrue(summary, summary.contains("ACCEPTED_BY_VALIDATOR"));
        assertEquals("person", h.runtime.store.changesSince(0, 10).get(h.runtime.store.changesSince(0, 10).size() - 1).what());

        // later versions through the identifier
        c.putObject("assessment").put("status", "COMPLETED").put("endedWithAJob", true).put("createdAt", "2025-02-10T10:00:00Z");
        Thread.sleep(5);
        h.webhook(id(c));
        h.drain();
        DepartmentEvent assessed = h.registry.feed.get(h.registry.feed.size() - 1);
        assertEquals(ConventionRecorder.ASSESSMENT, assessed.type());
        assertEquals(caf, assessed.personId());
        assertEquals("oui", assessed.details().get("sortie_emploi"));
        assertTrue(h.registry.attributes.get(caf).get(ConventionRecorder.attributeName(id(c))).contains("\"bilan\":\"COMPLETED\""));
        assertEquals(0, h.registry.pendingMatches(null, null, null).size());
    }

    @Test
    public void cancellationRejectionAndAssessmentAreTheDepartmentsEventsOnceEach() throws Exception {
        ObjectNode c = put("cd02", "ACCEPTED_BY_VALIDATOR");
        h.webhook(id(c));
        h.drain();
        c.put("status", "CANCELLED");
        Thread.sleep(5);
        h.webhook(id(c));
        h.drain();
        ObjectNode r = put("ft-saint-quentin", "REJECTED");
        h.webhook(id(r));
        h.drain();
        ObjectNode a = put("cd02", "ACCEPTED_BY_VALIDATOR");
        a.putObject("assessment").put("status", "DID_NOT_SHOW").put("endedWithAJob", false).put("createdAt", "2025-02-10T10:00:00Z");
        h.webhook(id(a));
        h.drain();
        assertEquals(List.of(id(c), id(a)), events(ConventionRecorder.VALIDATED));
        assertEquals(List.of(id(c)), events(ConventionRecorder.CANCELLED));
        assertEquals(List.of(id(r)), events(ConventionRecorder.REJECTED));
        assertEquals(List.of(id(a)), events(ConventionRecorder.ASSESSMENT));
        assertEquals("non", h.registry.feed.get(h.registry.feed.size() - 1).details().get("sortie_emploi"));
        // each event under a message id made of its type and its convention: handed twice, journaled once
        List<String> ids = h.ctx.accepted().stream().filter(x -> x.flow() == h.runtime.eventsFlow)
                .map(x -> x.metadata().partnerMessageId()).toList();
        assertTrue(ids.toString(), ids.contains("ev-validee-" + id(c)) && ids.contains("ev-annulee-" + id(c))
                && ids.contains("ev-rejetee-" + id(r)) && ids.contains("ev-bilan-" + id(a) + "-DN"));
        assertTrue(ids.stream().allMatch(i -> i.length() <= 64));
        assertFalse(h.runtime.store.find(id(c)).orElseThrow().validated());
    }

    @Test
    public void thePlatformLimitingOrDownIsATemporaryFailureAndNothingIsLost() throws Exception {
        ObjectNode c = put("cd02", "ACCEPTED_BY_VALIDATOR");
        h.platform.status429Next.set(1);
        h.webhook(id(c));
        h.drain();
        assertEquals(1, h.failures.size());
        assertFalse(h.failures.get(0).isPermanent());
        assertTrue(h.failures.get(0).getMessage(), h.failures.get(0).getMessage()
                .startsWith("Immersion Facilitée rate limit (429) on GET /v2/conventions/{id}: no call for 1 s"));
        assertEquals("the platform gives no Retry-After: the client's own pause", java.time.Duration.ofSeconds(1),
                h.failures.get(0).retryAfter().orElseThrow());
        h.platform.outage = true;
        Thread.sleep(1100);
        h.drain();
        assertEquals(2, h.failures.size());
        assertTrue(h.failures.get(1).getMessage(), h.failures.get(1).getMessage()
                .contains("answered GET /v2/conventions/{id} with HTTP 503 (not JSON: a gateway page)"));
        h.platform.outage = false;
        h.drain();
        assertTrue(h.runtime.store.find(id(c)).orElseThrow().validated());
        assertEquals(1, h.registry.feed.size());
    }

    @Test
    public void theDepartmentsOwnImmersionFeedsTheSameConventions() throws Exception {
        String caf = h.registry.person("Kevin", "LEFÈVRE", "1988-02-29");
        ObjectNode entry = DepartmentImmersionsTest.entry();
        ((ObjectNode) entry.get("beneficiary")).put("lastName", "Lefèvre").put("personId", caf);
        h.ctx.intake().accept(h.runtime.departmentFlow, new java.io.ByteArrayInputStream(
                fr.aisne.hub.api.Json.write(entry).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new fr.aisne.hub.api.InboundMetadata(null, null, "application/json", "agent-cd"));
        h.drain();
        String line = h.journal("departement/immersions").get(0);
        assertTrue(line, line.contains("probable match to the personId given confirmed in the name of departement:"));
        PmsmpConvention kept = h.runtime.store.find("cd-CD02-PMSMP-2025-0042").orElseThrow();
        assertEquals(caf, kept.personId());
        assertEquals("departement", kept.source());
        assertEquals(0, new BigDecimal("33").compareTo(kept.doneHours()));
        assertEquals(0, new BigDecimal("5").compareTo(kept.days().get(4).doneHours()));
        assertEquals("COMPLETED", kept.assessmentStatus());
        assertEquals(List.of("CD02-PMSMP-2025-0042"), events(ConventionRecorder.VALIDATED));
        assertEquals(List.of(kept), h.runtime.store.overlapping(LocalDate.of(2025, 3, 7), LocalDate.of(2025, 3, 31)));
        assertEquals(List.of(), h.runtime.store.overlapping(LocalDate.of(2025, 3, 8), LocalDate.of(2025, 3, 31)));
        assertEquals(Map.of(), Map.of());
    }
}
