package fr.aisne.hub.connector.francetravail.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail.Response;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.DepartmentEvent;

/** The event feed follower, the nightly batch and its schedule. */
public class BatchAndEventsTest extends FixtureTestSupport {
    private Fixture fixture(String... settings) throws Exception {
        return newFixture(Map.of(), settings);
    }

    @Test
    public void eachNewPersonEventIsHandedOnceToIdentificationAndTheCursorIsKept() throws Exception {
        fixture("events.batchSize", "2");
        f.events.add(DepartmentEvent.NEW_HOUSEHOLD_SDD, "p-1");
        f.events.add(DepartmentEvent.FILE_SUSPENDED, "p-1"); // not followed
        f.events.add(DepartmentEvent.NEW_PERSON, "p-2");
        f.events.add(DepartmentEvent.NEW_HOUSEHOLD_SDD, null); // household-level: nobody to identify

        assertEquals(2, f.runtime.follower.poll()); // the 2 followed events p-1 (seq 1), p-2 (seq 3)
        assertEquals(3, f.runtime.follower.cursor());
        assertEquals(0, f.runtime.follower.poll()); // seq 4: household-level, skipped
        assertEquals(0, f.runtime.follower.poll());

        List<Fixture.FakeIntake.Accepted> a = f.intake.accepted;
        assertEquals(2, a.size());
        assertEquals("france-travail/identification", a.get(0).flow());
        assertEquals("evt-1", a.get(0).partnerMessageId());
        assertEquals("evt-3", a.get(1).partnerMessageId());
        assertEquals(EventFollower.SENDER, a.get(0).sender());
        JsonNode payload = Json.MAPPER.readTree(a.get(0).json());
        assertEquals("p-1", payload.get("personId").asText());
        assertEquals(4, f.runtime.follower.cursor());

        // A restart (a new runtime over the same tables) goes on from the cursor: nothing handed over twice.
        f.events.add(DepartmentEvent.NEW_PERSON, "p-5");
        Fixture.FakeIntake intake = new Fixture.FakeIntake();
        FtRuntime restarted = new FtRuntime(f.runtime.settings, f.box, db.database(), f.guard, f.registry, () -> f.events,
                intake, f.clock);
        assertEquals(1, restarted.follower.poll());
        assertEquals(1, intake.accepted.size());
        assertEquals("evt-5", intake.accepted.get(0).partnerMessageId());
    }

    @Test
    public void anEventTheHubCannotTakeNowIsHandedOverAgainBeforeGoingFurther() throws Exception {
        fixture();
        f.events.add(DepartmentEvent.NEW_PERSON, "p-1");
        f.events.add(DepartmentEvent.NEW_PERSON, "p-2");
        f.intake.refuseNext = 2;

        assertEquals(0, f.runtime.follower.poll());
        assertEquals(0, f.runtime.follower.cursor());
        assertTrue(f.runtime.follower.status(), f.runtime.follower.status().contains("event 1 waits"));
        assertEquals("still refused: waits again", 0, f.runtime.follower.poll());
        assertEquals(0, f.runtime.follower.cursor());

        assertEquals(2, f.runtime.follower.poll());
        assertEquals("evt-1", f.intake.accepted.get(0).partnerMessageId());
        assertEquals("evt-2", f.intake.accepted.get(1).partnerMessageId());
        assertEquals(2, f.runtime.follower.cursor());
    }

    @Test
    public void anOrientationDecidedOnAisneActifsIsPushedOnceThroughTheOrientationFlow() throws Exception {
        fixture();
        f.events.add(DepartmentEvent.ORIENTATION_DECIDED, "p-1", "aisne-actifs", Map.of("parcours", "PSO", "origine",
                "DEPARTEMENT", "organisme_type", "ccas", "organisme", "CCAS de Laon"));
        f.events.add(DepartmentEvent.ORIENTATION_DECIDED, "p-2", "france-travail", Map.of("parcours", "PED", "origine", "X"));
        f.events.add(DepartmentEvent.ORIENTATION_DECIDED, "p-3", "aisne-actifs", Map.of("origine", "DEPARTEMENT"));

        assertEquals(1, f.runtime.follower.poll());
        List<Fixture.FakeIntake.Accepted> a = f.intake.accepted;
        assertEquals(1, a.size());
        assertEquals("france-travail/orientation", a.get(0).flow());
        assertEquals("evt-1", a.get(0).partnerMessageId());
        JsonNode payload = Json.MAPPER.readTree(a.get(0).json());
        assertEquals("p-1", payload.get("personId").asText());
        assertEquals("PSO", payload.get("parcours").asText());
        assertEquals("DEPARTEMENT", payload.get("origine").asText());
        // and it passes the orientation flow's own validation
        Payloads.orientation((com.fasterxml.jackson.databind.node.ObjectNode) payload);
        assertEquals("France Travail's own and incomplete ones passed over", 3, f.runtime.follower.cursor());
    }

    @Test
    public void withoutTheFeedIdentificationWaits() throws Exception {
        newFixture(Map.of());
        EventFollower noFeed = new EventFollower(() -> null, f.runtime.store, f.intake, f.runtime.identificationFlow, 10);
        assertEquals(0, noFeed.poll());
        assertTrue(noFeed.status().contains("not available"));
    }

    @Test
    public void batchQueuesARefreshPerIdentifiedPersonWithTheBatchAgentAndReportsProgress() throws Exception {
        fixture();
        for (int i = 0; i < 5; i++) {
            f.runtime.store.recordIdentification("p-" + i, "IDENTIFIED", "S001", null, "O", null, Fixture.NOW);
        }
        f.runtime.store.recordIdentification("p-x", "NOT_FOUND", "S002", null, null, null, Fixture.NOW);

        String detail = f.runtime.batch.run("00000000-0000-7000-8000-0000abcdef12");

        assertTrue(detail, detail.startsWith("batch abcdef12: 5 refreshes queued for 5 identified persons"));
        assertEquals(5, f.intake.accepted.size());
        Fixture.FakeIntake.Accepted first = f.intake.accepted.get(0);
        assertEquals("france-travail/refresh", first.flow());
        assertEquals("rb-abcdef12-p-0", first.partnerMessageId());
        assertEquals("abcdef12", Json.MAPPER.readTree(first.json()).get("batch").asText());

        // the same batch delivered again (a retry) queues nothing twice
        String again = f.runtime.batch.run("00000000-0000-7000-8000-0000abcdef12");
        assertTrue(again, again.contains("0 refreshes queued, 5 already queued"));

        // the refreshes are delivered: BATCH agent on France Travail's side, progress in health
        f.searchFinds("12533590042");
        f.fake.on("GET", FranceTravailClient.CONTRAT, r -> Response.of(204));
        f.fake.on("GET", FranceTravailClient.INFORMATIONS_ADMINISTRATIVES, r -> Response.of(204));
        f.fake.on("GET", FranceTravailClient.LECTURE_ORIENTATION, r -> Response.of(204));
        String person = f.person(Fixture.NIR_A, "1985-05-12");
        f.runtime.store.recordIdentification(person, "IDENTIFIED", "S001", null, "O", null, Fixture.NOW);
        f.clock.advance(Duration.ofSeconds(2));
        ObjectNode payload = Json.MAPPER.createObjectNode().put("personId", person).put("batch", "abcdef12");
        Deliveries.run((p, id) -> f.runtime.persons.refresh(person, f.runtime.settings.batchAgent(), id), payload, "ex-r");
        f.runtime.batch.refreshed("abcdef12");
        assertEquals("BATCH", f.fake.requests(FranceTravailClient.CONTRAT).get(0).header("pa-identifiant-agent"));
        assertEquals("BATCH", f.fake.requests(FranceTravailClient.RECHERCHER_PAR_NIR).get(0).header("pa-identifiant-agent"));
        String progress = f.runtime.batch.progress();
        // the total is what the run counted: the person identified since then waits for the next run
        assertTrue(progress, progress.startsWith("batch abcdef12: 1/5 refreshed, 0.5/s, ETA 8 s"));
        assertTrue(f.runtime.health().detail().contains(progress));
    }

    @Test
    public void dailyScheduleRunsOncePerDayFromTheNextSlot() throws Exception {
        fixture("batch.dailyAt", "02:00", "batch.zone", "Europe/Paris");
        f.clock.set(Instant.parse("2026-11-21T10:00:00Z")); // 11:00 in Paris: today's slot has passed
        f.runtime.batch.tick();
        assertEquals("first start waits for the next slot", 0, f.intake.accepted.size());

        f.clock.set(Instant.parse("2026-11-22T00:30:00Z")); // 01:30 Paris
        f.runtime.batch.tick();
        assertEquals(0, f.intake.accepted.size());
        f.clock.set(Instant.parse("2026-11-22T01:01:00Z")); // 02:01 Paris
        f.runtime.batch.tick();
        f.runtime.batch.tick();
        assertEquals(1, f.intake.accepted.size());
        assertEquals("france-travail/batch", f.intake.accepted.get(0).flow());
        assertEquals("batch-2026-11-22", f.intake.accepted.get(0).partnerMessageId());
    }
}
