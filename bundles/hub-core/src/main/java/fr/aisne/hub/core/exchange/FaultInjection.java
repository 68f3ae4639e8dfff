package fr.aisne.hub.core.exchange;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Flow;

/**
 * Kills the hub at a precise point, for the integration tests that prove nothing is lost there (a SIGKILL cannot be
 * aimed between two writes). Inert unless the JVM runs with {@code -Dhub.faultInjection=true} AND etc/hub.core.cfg
 * names a flow in a point's setting ({@link Point}). Never set in production; the hub logs an error at start when it
 * is.
 */
public final class FaultInjection {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);
    public static final FaultInjection NONE = new FaultInjection(new EnumMap<>(Point.class));

    /** Where the hub can be halted, each with its setting in etc/hub.core.cfg. */
    public enum Point {
        /** Once the message is journaled, before the broker has it. */
        AFTER_JOURNAL("test.fault.haltAfterJournal", "journaled, not yet sent to the broker"),
        /** Once the broker has it, before the sender is answered: at restart the hub sends it again, a copy. */
        AFTER_SEND("test.fault.haltAfterSend", "sent to the broker, the sender not yet answered"),
        /** While delivering: a message the hub keeps dying on. */
        ON_DELIVERY("test.fault.haltOnDelivery", "while delivering");

        private final String setting;
        private final String where;

        Point(String setting, String where) {
            this.setting = setting;
            this.where = where;
        }
    }

    /** The flow (its key) each armed point halts on. */
    private final Map<Point, String> armed;

    private FaultInjection(Map<Point, String> armed) {
        this.armed = armed;
    }

    /** @param settings a setting's value, or null when it is not set */
    public static FaultInjection from(Function<String, String> settings) {
        Map<Point, String> armed = new EnumMap<>(Point.class);
        for (Point p : Point.values()) {
            String flow = settings.apply(p.setting);
            if (flow != null) {
                armed.put(p, flow);
            }
        }
        if (armed.isEmpty()) {
            return NONE;
        }
        if (!Boolean.getBoolean("hub.faultInjection")) {
            LOG.error("test.fault.* settings are ignored: this hub does not run with -Dhub.faultInjection=true");
            return NONE;
        }
        LOG.error("FAULT INJECTION ON (tests only): the hub halts at {}", armed);
        return new FaultInjection(armed);
    }

    void at(Point point, Flow flow) {
        if (flow.key().equals(armed.get(point))) {
            LOG.error("Fault injection: hub halted {}", point.where);
            Runtime.getRuntime().halt(137);
        }
    }
}
