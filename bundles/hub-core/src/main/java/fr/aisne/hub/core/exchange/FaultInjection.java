package fr.aisne.hub.core.exchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Flow;

/**
 * Kills the hub at a precise point, for the integration tests that prove nothing is lost there (a SIGKILL cannot be
 * aimed between two writes). Inert unless the JVM runs with {@code -Dhub.faultInjection=true} AND etc/hub.core.cfg
 * names a flow in {@code test.fault.haltAfterJournal} (halt once the message is journaled, before the broker has
 * it), {@code test.fault.haltAfterSend} (halt once the broker has it, before the sender is answered: at restart the
 * hub sends it again, a copy) or {@code test.fault.haltOnDelivery} (halt while delivering: a message the hub keeps
 * dying on). Never set in production; the hub logs an error at start when it is.
 */
public final class FaultInjection {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);
    public static final FaultInjection NONE = new FaultInjection(null, null, null);

    private final String haltAfterJournal;
    private final String haltAfterSend;
    private final String haltOnDelivery;

    private FaultInjection(String haltAfterJournal, String haltAfterSend, String haltOnDelivery) {
        this.haltAfterJournal = haltAfterJournal;
        this.haltAfterSend = haltAfterSend;
        this.haltOnDelivery = haltOnDelivery;
    }

    public static FaultInjection from(String haltAfterJournal, String haltAfterSend, String haltOnDelivery) {
        if (haltAfterJournal == null && haltAfterSend == null && haltOnDelivery == null) {
            return NONE;
        }
        if (!Boolean.getBoolean("hub.faultInjection")) {
            LOG.error("test.fault.* settings are ignored: this hub does not run with -Dhub.faultInjection=true");
            return NONE;
        }
        LOG.error("FAULT INJECTION ON (tests only): the hub halts after journaling {} / after sending {} / while "
                + "delivering {}", haltAfterJournal, haltAfterSend, haltOnDelivery);
        return new FaultInjection(haltAfterJournal, haltAfterSend, haltOnDelivery);
    }

    void afterJournal(Flow flow) {
        if (flow.key().equals(haltAfterJournal)) {
            halt("journaled, not yet sent to the broker");
        }
    }

    void afterSend(Flow flow) {
        if (flow.key().equals(haltAfterSend)) {
            halt("sent to the broker, the sender not yet answered");
        }
    }

    void onDelivery(Flow flow) {
        if (flow.key().equals(haltOnDelivery)) {
            halt("while delivering");
        }
    }

    private static void halt(String where) {
        LOG.error("Fault injection: hub halted {}", where);
        Runtime.getRuntime().halt(137);
    }
}
