package fr.aisne.hub.connector.urssaf.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpChange;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConvention;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConventions;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpDay;

/** Test conventions, and an in-memory {@link PmsmpConventions} whose conventions a test changes. */
final class Conv {
    private Conv() {
    }

    static BigDecimal h(String v) {
        return new BigDecimal(v);
    }

    /** A validated convention of the department with {@code hours} planned every day from {@code start} to {@code end}. */
    static PmsmpConvention daily(String key, String start, String end, String hours) {
        LocalDate s = LocalDate.parse(start);
        LocalDate e = LocalDate.parse(end);
        List<PmsmpDay> days = new ArrayList<>();
        for (LocalDate d = s; !d.isAfter(e); d = d.plusDays(1)) {
            days.add(new PmsmpDay(d, h(hours), h(hours), null, "09:00-12:00"));
        }
        return of(key, "ACCEPTED_BY_VALIDATOR", days);
    }

    static PmsmpConvention of(String key, String status, List<PmsmpDay> days) {
        BigDecimal total = days.stream().map(PmsmpDay::plannedHours).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new PmsmpConvention(key, "immersion-facilitee", "ref-" + key, status, true, null, days.get(0).date(),
                days.get(days.size() - 1).date(), days, total, total, null, "person-" + key, "CERTAIN", "12345678900011",
                "Boulangerie", false, null, null, null, Instant.parse("2025-01-01T00:00:00Z"), 1,
                Instant.parse("2025-01-01T00:00:00Z"));
    }

    static PmsmpConvention with(PmsmpConvention c, String status) {
        return new PmsmpConvention(c.key(), c.source(), c.reference(), status, c.inDepartment(), c.removedReason(),
                c.dateStart(), c.dateEnd(), c.days(), c.plannedHours(), c.declaredTotalHours(), c.doneHours(), c.personId(),
                c.matchState(), c.hostSiret(), c.hostName(), c.employee(), c.esat(), c.assessmentStatus(),
                c.endedWithAJob(), c.dateValidation(), c.version() + 1, c.updatedAt());
    }

    static PmsmpConvention flags(PmsmpConvention c, boolean employee, Boolean esat, String assessment) {
        return new PmsmpConvention(c.key(), c.source(), c.reference(), c.status(), c.inDepartment(), c.removedReason(),
                c.dateStart(), c.dateEnd(), c.days(), c.plannedHours(), c.declaredTotalHours(), c.doneHours(), c.personId(),
                c.matchState(), c.hostSiret(), c.hostName(), employee, esat, assessment, c.endedWithAJob(),
                c.dateValidation(), c.version(), c.updatedAt());
    }

    static PmsmpConvention days(PmsmpConvention c, List<PmsmpDay> days) {
        return new PmsmpConvention(c.key(), c.source(), c.reference(), c.status(), c.inDepartment(), c.removedReason(),
                days.get(0).date(), days.get(days.size() - 1).date(), days, c.plannedHours(), c.declaredTotalHours(),
                c.doneHours(), c.personId(), c.matchState(), c.hostSiret(), c.hostName(), c.employee(), c.esat(),
                c.assessmentStatus(), c.endedWithAJob(), c.dateValidation(), c.version() + 1, c.updatedAt());
    }

    /** In-memory conventions. */
    static final class Source implements PmsmpConventions {
        final Map<String, PmsmpConvention> all = new LinkedHashMap<>();

        Source put(PmsmpConvention c) {
            all.put(c.key(), c);
            return this;
        }

        @Override
        public List<PmsmpConvention> overlapping(LocalDate from, LocalDate to) {
            return all.values().stream().filter(c -> !c.dateEnd().isBefore(from) && !c.dateStart().isAfter(to)).toList();
        }

        @Override
        public Optional<PmsmpConvention> find(String key) {
            return Optional.ofNullable(all.get(key));
        }

        @Override
        public List<PmsmpChange> changesSince(long afterSeq, int limit) {
            return List.of();
        }

        @Override
        public long lastChange() {
            return 0;
        }
    }
}
