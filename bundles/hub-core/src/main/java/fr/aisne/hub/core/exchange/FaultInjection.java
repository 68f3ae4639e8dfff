package fr.aisne.hub.core.exchange;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Flow;

/**
 * Kills the hub at a precise point, or makes one send fail after the broker took its message, for the integration
 * tests that prove nothing is lost or doubled there (a SIGKILL cannot be aimed between two writes, nor a broker
 * made to time out once it has stored a message). Inert unless the JVM runs with {@code -Dhub.faultInjection=true}
 * AND etc/hub.core.cfg names a flow in a point's setting ({@link Point}). Never set in production; the hub logs an
 * error at start when it is.
 */
public final class FaultInjection {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);
    public static final FaultInjection NONE = new FaultInjection(new EnumMap<>(Point.class));

    /** Where the hub can be halted, each with its setting in etc/hub.core.cfg. */
    public enum Point {
        /** Once the message is journaled, before the broker has it. */
        AFTER_JOURNAL("test.fault.haltAfterJournal", "journaled, not yet sent to the broker", true),
        /** Once the broker has it, before the sender is answered: at restart the hub sends it again, a copy. */
        AFTER_SEND("test.fault.haltAfterSend", "sent to the broker, the sender not yet answered", true),
        /** While delivering: a message the hub keeps dying on. */
        ON_DELIVERY("test.fault.haltOnDelivery", "while delivering", true),
        /**
         * Not a halt: the first send of the flow reaches the broker, then reports a failure {@link #TIMEOUT} later, as a
         * send that timed out although the broker kept the message. Once per run.
         */
        SEND_TIMES_OUT_ONCE("test.fault.sendTimesOutOnce", "the broker took the message; its send reports a timeout",
                false);

        private final String setting;
        private final String where;
        private final boolean halts;

        Point(String setting, String where, boolean halts) {
            this.setting = setting;
            this.where = where;
            this.halts = halts;
        }
    }

    /** How long the send that "times out" waits before it reports its failure. */
    static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(3);

    /** The flow (its key) each armed point acts on; a point that acts once is removed when it has. */
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
        LOG.error("FAULT INJECTION ON (tests only): {}", armed);
        return new FaultInjection(new java.util.concurrent.ConcurrentHashMap<>(armed));
    }

    /** Halts the JVM, or returns true when the send just made must be reported failed. */
    boolean at(Point point, Flow flow) {
        if (!flow.key().equals(armed.get(point))) {
            return false;
        }
        if (point.halts) {
            LOG.error("Fault injection: hub halted {}", point.where);
            Runtime.getRuntime().halt(137);
        }
        if (armed.remove(point) == null) {
            return false; // another send took the one fault
        }
        LOG.error("Fault injection: {} (flow {})", point.where, flow.key());
        try {
            Thread.sleep(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
