package fr.aisne.hub.api.testing;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.function.ThrowingRunnable;

import fr.aisne.hub.api.DeliveryFailure;

/** Assertions on what a delivery handler signals to the hub. */
public final class DeliveryFailures {
    private DeliveryFailures() {
    }

    /** The call fails for good: the hub quarantines the message at once. */
    public static DeliveryFailure permanent(ThrowingRunnable call) {
        DeliveryFailure f = assertThrows(DeliveryFailure.class, call);
        assertTrue("permanent: " + f.getMessage(), f.isPermanent());
        return f;
    }

    /** The call fails for now: the hub retries the message later. */
    public static DeliveryFailure temporary(ThrowingRunnable call) {
        DeliveryFailure f = assertThrows(DeliveryFailure.class, call);
        assertFalse("temporary: " + f.getMessage(), f.isPermanent());
        return f;
    }
}
