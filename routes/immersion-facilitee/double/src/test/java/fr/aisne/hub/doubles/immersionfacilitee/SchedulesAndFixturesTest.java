package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Schedules summing per day (month end, both daylight-saving changes), the platform's limits, deterministic fixtures. */
public class SchedulesAndFixturesTest extends DoubleTestSupport {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    /** The per-day sum, wall clock, checked against every day being present with periods or none. */
    static double sumOfDays(JsonNode convention) {
        JsonNode schedule = convention.get("schedule");
        LocalDate start = LocalDate.parse(convention.get("dateStart").asText().substring(0, 10));
        LocalDate end = LocalDate.parse(convention.get("dateEnd").asText().substring(0, 10));
        assertEquals("one entry per calendar day", ChronoUnit.DAYS.between(start, end) + 1, schedule.get("complexSchedule").size());
        double minutes = 0;
        int worked = 0;
        LocalDate expected = start;
        for (JsonNode day : schedule.get("complexSchedule")) {
            assertEquals(expected + "T00:00:00.000Z", day.get("date").asText());
            expected = expected.plusDays(1);
            if (day.get("timePeriods").size() > 0) {
                worked++;
            }
            for (JsonNode p : day.get("timePeriods")) {
                minutes += ChronoUnit.MINUTES.between(LocalTime.parse(p.get("start").asText()), LocalTime.parse(p.get("end").asText()));
            }
        }
        assertEquals(worked, schedule.get("workedDays").asInt());
        return minutes / 60;
    }

    @Test
    public void aConventionAcrossAMonthEnd() throws Exception {
        JsonNode c = json(getConvention("aisne-hub", Fixtures.MONTH_END));
        assertEquals("2025-01-27T00:00:00.000Z", c.get("dateStart").asText());
        assertEquals("2025-02-07T00:00:00.000Z", c.get("dateEnd").asText());
        assertEquals(65.0, sumOfDays(c), 0);
        assertEquals(65.0, c.at("/schedule/totalHours").asDouble(), 0);
        // January holds 5 days (32.5 h), February 5 days (32.5 h)
        double january = 0;
        for (JsonNode day : c.at("/schedule/complexSchedule")) {
            if (day.get("date").asText().startsWith("2025-01")) {
                january += day.get("timePeriods").size() == 2 ? 6.5 : 0;
            }
        }
        assertEquals(32.5, january, 0);
    }

    @Test
    public void conventionsAcrossBothDaylightSavingChangesCountWallClockHours() throws Exception {
        JsonNode spring = json(getConvention("aisne-hub", Fixtures.DST_SPRING));
        assertEquals(84.0, sumOfDays(spring), 0);
        assertEquals(84, spring.at("/schedule/totalHours").asInt());
        JsonNode autumn = json(getConvention("aisne-hub", Fixtures.DST_AUTUMN));
        assertEquals(77.0, sumOfDays(autumn), 0);
        assertEquals(77, autumn.at("/schedule/totalHours").asInt());
        // the changeover nights are worked: 02:00-09:00 is 7 h written but 6 h (spring) and 8 h (autumn) lived
        assertEquals(6, elapsedHours(spring, "2025-03-30"));
        assertEquals(8, elapsedHours(autumn, "2025-10-26"));
        assertTrue("the autumn one also crosses a month end", autumn.get("dateEnd").asText().startsWith("2025-11-01"));
    }

    private static long elapsedHours(JsonNode convention, String date) {
        for (JsonNode day : convention.at("/schedule/complexSchedule")) {
            if (day.get("date").asText().startsWith(date)) {
                JsonNode p = day.get("timePeriods").get(0);
                LocalDate d = LocalDate.parse(date);
                ZonedDateTime from = ZonedDateTime.of(d, LocalTime.parse(p.get("start").asText()), PARIS);
                ZonedDateTime to = ZonedDateTime.of(d, LocalTime.parse(p.get("end").asText()), PARIS);
                assertEquals(7, ChronoUnit.HOURS.between(LocalTime.parse(p.get("start").asText()), LocalTime.parse(p.get("end").asText())));
                return ChronoUnit.HOURS.between(from.toInstant(), to.toInstant());
            }
        }
        throw new AssertionError("no " + date);
    }

    @Test
    public void everyFixtureKeepsThePlatformsLimitsAndSumsPerDay() throws Exception {
        int legacyMismatches = 0;
        for (String consumer : new String[] {"aisne-hub", "somme-partner"}) {
            for (String window : new String[] {"?startDateLessOrEqual=2024-12-31", "?startDateGreater=2024-12-31&startDateLessOrEqual=2025-06-30",
                "?startDateGreater=2025-06-30&startDateLessOrEqual=2025-10-31", "?startDateGreater=2025-10-31"}) {
                JsonNode list = json(get("/api/v2/conventions" + window, Map.of("authorization", key(consumer))));
                assertTrue(window + " holds fewer than 100", list.size() < 100);
                for (JsonNode c : list) {
                    double sum = sumOfDays(c);
                    LocalDate start = LocalDate.parse(c.get("dateStart").asText().substring(0, 10));
                    LocalDate end = LocalDate.parse(c.get("dateEnd").asText().substring(0, 10));
                    assertTrue(ChronoUnit.DAYS.between(start, end) <= 30);
                    Map<Integer, Double> weeks = new HashMap<>();
                    for (JsonNode day : c.at("/schedule/complexSchedule")) {
                        LocalDate d = LocalDate.parse(day.get("date").asText().substring(0, 10));
                        for (JsonNode p : day.get("timePeriods")) {
                            weeks.merge(d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), ChronoUnit.MINUTES.between(
                                    LocalTime.parse(p.get("start").asText()), LocalTime.parse(p.get("end").asText())) / 60.0, Double::sum);
                        }
                    }
                    weeks.values().forEach(h -> assertTrue(h + " h in a week", h <= 48));
                    if (sum != c.at("/schedule/totalHours").asDouble()) {
                        legacyMismatches++;
                        assertTrue("only conventions ending before 2024-09-01", end.isBefore(LocalDate.of(2024, 9, 1)));
                    }
                }
            }
        }
        assertTrue(legacyMismatches >= 1);
        JsonNode legacy = json(getConvention("aisne-hub", Fixtures.LEGACY_TOTAL_HOURS));
        assertEquals(70.0, sumOfDays(legacy), 0);
        assertEquals(75, legacy.at("/schedule/totalHours").asInt());
    }

    @Test
    public void scheduleEditsKeepTheLimits() throws Exception {
        String id = Fixtures.IN_REVIEW_NEXT_MONTH;
        JsonNode start = json(getConvention("aisne-hub", id));
        String from = start.get("dateStart").asText().substring(0, 10);
        String tooLate = LocalDate.parse(from).plusDays(31).toString();
        assertTrue(act(id, "{\"action\":\"edit\",\"changes\":{\"dateEnd\":\"" + tooLate + "\"}}", 400).get("error").asText()
                .contains("30 calendar days"));
        assertTrue(act(id, "{\"action\":\"edit\",\"changes\":{\"weekdays\":[1,2,3,4,5,6],\"hours\":[{\"start\":\"08:00\","
                + "\"end\":\"16:30\"}]}}", 400).get("error").asText().contains("48 hours"));
        act(id, "{\"action\":\"edit\",\"changes\":{\"hours\":[{\"start\":\"09:00\",\"end\":\"12:00\"},{\"start\":\"11:00\","
                + "\"end\":\"13:00\"}]}}", 400);
        act(id, "{\"action\":\"edit\",\"changes\":{\"totalHours\":12}}", 400);
        act(id, "{\"action\":\"edit\",\"changes\":{\"hours\":[{\"start\":\"9h\",\"end\":\"12:00\"}]}}", 400);
        // a refused edit changed nothing
        assertEquals(start, json(getConvention("aisne-hub", id)));
        JsonNode complex = act(id, "{\"action\":\"edit\",\"changes\":{\"dateStart\":\"2026-03-30\",\"dateEnd\":\"2026-04-01\","
                + "\"complexSchedule\":[{\"date\":\"2026-03-30T00:00:00.000Z\",\"timePeriods\":[{\"start\":\"02:00\",\"end\":\"09:00\"}]},"
                + "{\"date\":\"2026-04-01\",\"timePeriods\":[{\"start\":\"13:00\",\"end\":\"17:30\"}]}]}}", 200);
        assertEquals(11.5, complex.at("/schedule/totalHours").asDouble(), 0);
        assertFalse(complex.at("/schedule/isSimple").asBoolean());
        assertEquals(3, complex.at("/schedule/complexSchedule").size());
    }

    @Test
    public void theSameSeedGivesTheSameConventionsAnotherSeedOthers() throws Exception {
        Map<String, Object> a = new HashMap<>(Map.of("fixtures.seed", "7"));
        List<Convention> one = Fixtures.all(Settings.from(a));
        List<Convention> two = Fixtures.all(Settings.from(a));
        List<Convention> other = Fixtures.all(Settings.from(Map.of("fixtures.seed", "8")));
        assertEquals(152, one.size());
        for (int i = 0; i < one.size(); i++) {
            assertEquals(JSON.valueToTree(one.get(i).toRead()), JSON.valueToTree(two.get(i).toRead()));
        }
        assertEquals("named fixtures do not depend on the seed", JSON.valueToTree(one.get(0).toRead()),
                JSON.valueToTree(other.get(0).toRead()));
        assertNotEquals(JSON.valueToTree(one.get(20).toRead()), JSON.valueToTree(other.get(20).toRead()));
        // and a reset gives them back
        act(Fixtures.MONTH_END, "{\"action\":\"edit\",\"changes\":{\"businessName\":\"Autre\"}}", 200);
        post("/double/control/reset", "", Map.of());
        assertFalse(json(getConvention("aisne-hub", Fixtures.MONTH_END)).get("businessName").asText().equals("Autre"));
    }
}
