package fr.aisne.hub.connector.urssaf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.api.testing.TestDelivery;

/** Accident declarations: the body checked naming the field, the deadline kept, the states over time. */
public class AccidentsTest {
    TestDatabase db;
    Conv.Source source = new Conv.Source();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T09:00:00Z"));
    Accidents accidents;

    @Before
    public void setUp() {
        db = TestDatabase.embeddedDerby("target/derby/acc-" + System.nanoTime());
        db.database().migrate("urssaf", getClass().getClassLoader(), "db/urssaf/V1__urssaf.sql");
        source.put(Conv.daily("a", "2026-11-30", "2026-12-04", "7"))
                .put(Conv.with(Conv.daily("c", "2026-11-30", "2026-12-04", "7"), "CANCELLED"));
        accidents = new Accidents(db.database().jdbc(), () -> source, ZoneId.of("Europe/Paris"), clock);
    }

    @After
    public void tearDown() {
        db.close();
    }

    void invalid(String json, String field) throws Exception {
        try {
            accidents.validate(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
            fail("accepted: " + json);
        } catch (ValidationException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(field));
            assertFalse("no value quoted", e.getMessage().contains("escabeau"));
        }
    }

    /** Found by benchmarks/fuzz (urssaf.accidents): undecodable bytes escaped the validator as an I/O error. */
    @Test
    public void undecodableBytesAreARefusal() throws Exception {
        for (byte[] body : List.of(new byte[] {0, 0, 0, '{', 0}, new byte[] {0, 0, '{', 0, 0, 0, '}', 0},
                ("[".repeat(3000)).getBytes(StandardCharsets.UTF_8))) {
            try {
                accidents.validate(new ByteArrayInputStream(body));
                fail("accepted");
            } catch (ValidationException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("JSON"));
            }
        }
    }

    @Test
    public void theBodyIsCheckedNamingTheField() throws Exception {
        invalid("{\"dateHeure\":\"2026-12-03T10:00\",\"lieu\":\"l\",\"circonstances\":\"escabeau\"}", "convention");
        invalid("{\"convention\":\"a\",\"dateHeure\":\"hier\",\"lieu\":\"l\",\"circonstances\":\"escabeau\"}", "dateHeure");
        invalid("{\"convention\":\"a\",\"dateHeure\":\"2026-12-03T10:00\",\"circonstances\":\"escabeau\"}", "lieu");
        invalid("{\"convention\":\"a\",\"dateHeure\":\"2026-12-03T10:00\",\"lieu\":\"l\",\"circonstances\":\"escabeau\","
                + "\"nir\":\"x\"}", "nir");
        invalid("{\"convention\":\"a\",\"dateHeure\":\"2026-12-03T10:00\",\"lieu\":\"l\",\"circonstances\":\"escabeau\","
                + "\"connuLe\":\"2026-12-02T10:00\"}", "connuLe");
        accidents.validate(new ByteArrayInputStream(("{\"convention\":\"a\",\"dateHeure\":\"2026-12-03T10:00:00+01:00\","
                + "\"lieu\":\"l\",\"circonstances\":\"escabeau\"}").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void theDeadlineSkipsTheSundayAndTheStateFollowsTheClock() throws Exception {
        // learned Friday 2026-12-04 10:00 Paris: Friday 14 h, Saturday 24 h, Sunday skipped, Monday 10 h
        String detail = accidents.deliver(TestDelivery.json("departement", "accidents-pmsmp", "ex-1",
                "{\"convention\":\"a\",\"dateHeure\":\"2026-12-04T08:30\",\"lieu\":\"atelier\",\"circonstances\":\"chute\","
                        + "\"connuLe\":\"2026-12-04T10:00\"}")).detail();
        assertTrue(detail, detail.contains("2026-12-07T10:00"));
        Accidents.Accident a = accidents.find("ex-1").orElseThrow();
        assertEquals(Instant.parse("2026-12-07T09:00:00Z"), a.deadline());
        Duration warning = Duration.ofHours(12);
        assertEquals("A_TRANSMETTRE", a.state(clock.instant(), warning));
        assertEquals("BIENTOT_ECHUE", a.state(Instant.parse("2026-12-07T00:00:00Z"), warning));
        assertEquals("EN_RETARD", a.state(Instant.parse("2026-12-07T09:00:01Z"), warning));
        // delivered again (a crash before the acknowledgement): kept once
        accidents.deliver(TestDelivery.json("departement", "accidents-pmsmp", "ex-1",
                "{\"convention\":\"a\",\"dateHeure\":\"2026-12-04T08:30\",\"lieu\":\"atelier\",\"circonstances\":\"chute\","
                        + "\"connuLe\":\"2026-12-04T10:00\"}"));
        assertEquals(1, accidents.all().size());
        clock.set(Instant.parse("2026-12-08T09:00:00Z"));
        assertEquals(1, (int) accidents.counts(warning).get("EN_RETARD"));
        assertTrue(accidents.transmitted("ex-1", "bob"));
        assertFalse(accidents.transmitted("ex-1", "bob"));
        assertTrue(accidents.counts(warning).isEmpty());
    }

    @Test
    public void anUnknownOrCancelledConventionIsRefusedForGood() {
        for (String conv : new String[] {"zz", "c"}) {
            try {
                accidents.deliver(TestDelivery.json("departement", "accidents-pmsmp", "ex-" + conv, "{\"convention\":\""
                        + conv + "\",\"dateHeure\":\"2026-12-04T08:30\",\"lieu\":\"l\",\"circonstances\":\"c\"}"));
                fail();
            } catch (DeliveryFailure f) {
                assertTrue(f.isPermanent());
            }
        }
    }
}
