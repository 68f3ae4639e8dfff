package fr.aisne.hub.connector.immersionfacilitee.conventions;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The PMSMP conventions the hub keeps for the department (from Immersion Facilitée and from the department's own
 * entries), as the AT/MP computation reads them: one OSGi service, registered by the Immersion Facilitée connector
 * while it runs. Read-only; every value comes from the connector's tables.
 *
 * <p>A convention that left the department (transferred to another agency, no longer prescribed by it) stays
 * readable with {@link PmsmpConvention#inDepartment()} false and the reason, so that a month already declared can
 * be corrected; the change feed says when.
 */
public interface PmsmpConventions {

    /**
     * The conventions with at least one calendar day in {@code from}..{@code to} (both included), those that left the
     * department included, ordered by start date then key.
     */
    List<PmsmpConvention> overlapping(LocalDate from, LocalDate to);

    /** One convention by its key ({@link PmsmpConvention#key()}). */
    Optional<PmsmpConvention> find(String key);

    /**
     * What changed after {@code afterSeq} (a cursor the reader keeps), oldest first, at most {@code limit} (1 to 1000):
     * every new version of a convention (status, dates, schedule, hours, assessment, person, removal). Read the
     * convention itself with {@link #find}.
     */
    List<PmsmpChange> changesSince(long afterSeq, int limit);

    /** The newest change's sequence number, 0 when none. */
    long lastChange();
}
