package fr.aisne.hub.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

public class RetryPolicyTest {

    @Test
    public void delaysGrowByTheMultiplierUpToTheCap() {
        RetryPolicy p = new RetryPolicy(10, 2_000, 2.0, 30_000);
        assertEquals(2_000, p.delayBeforeRetry(1));
        assertEquals(4_000, p.delayBeforeRetry(2));
        assertEquals(8_000, p.delayBeforeRetry(3));
        assertEquals(16_000, p.delayBeforeRetry(4));
        assertEquals("capped", 30_000, p.delayBeforeRetry(5));
        assertEquals(30_000, p.delayBeforeRetry(9));
        assertEquals("no overflow far out", 30_000, p.delayBeforeRetry(10_000));
    }

    @Test
    public void fractionalMultiplierAndConstantDelay() {
        RetryPolicy p = new RetryPolicy(5, 1_000, 1.5, 10_000);
        assertEquals(1_000, p.delayBeforeRetry(1));
        assertEquals(1_500, p.delayBeforeRetry(2));
        assertEquals(2_250, p.delayBeforeRetry(3));
        RetryPolicy constant = new RetryPolicy(5, 500, 1.0, 500);
        assertEquals(500, constant.delayBeforeRetry(1));
        assertEquals(500, constant.delayBeforeRetry(4));
    }

    @Test
    public void defaultPolicy() {
        assertEquals(new RetryPolicy(6, 2_000, 2.0, 300_000), RetryPolicy.DEFAULT);
        assertEquals(2_000, RetryPolicy.DEFAULT.delayBeforeRetry(1));
        assertEquals(32_000, RetryPolicy.DEFAULT.delayBeforeRetry(5));
    }

    @Test
    public void fromSettingsReadsEachKey() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("retry.maxAttempts", "3");
        cfg.put("retry.initialDelayMs", " 10 ");
        cfg.put("retry.multiplier", "1.5");
        cfg.put("retry.maxDelayMs", 100L);
        assertEquals(new RetryPolicy(3, 10, 1.5, 100), retry(cfg));
    }

    @Test
    public void fromSettingsDefaultsMissingOrBlankKeys() {
        assertEquals(RetryPolicy.DEFAULT, retry(Map.of()));
        assertEquals(RetryPolicy.DEFAULT, retry(null));
        assertEquals(new RetryPolicy(2, 2_000, 2.0, 300_000),
                retry(Map.of("retry.maxAttempts", "2", "retry.multiplier", " ")));
    }

    @Test
    public void invalidValuesAreRejectedNamingTheKey() {
        assertRejected(Map.of("retry.maxAttempts", "0"), "retry.maxAttempts");
        assertRejected(Map.of("retry.maxAttempts", "-1"), "retry.maxAttempts");
        assertRejected(Map.of("retry.multiplier", "0.5"), "retry.multiplier");
        assertRejected(Map.of("retry.initialDelayMs", "5000", "retry.maxDelayMs", "1000"), "retry.maxDelayMs");
        assertRejected(Map.of("retry.initialDelayMs", "-1"), "retry.initialDelayMs");
        assertRejected(Map.of("retry.maxAttempts", "three"), "retry.maxAttempts");
        assertRejected(Map.of("retry.initialDelayMs", "2s"), "retry.initialDelayMs");
        assertRejected(Map.of("retry.multiplier", "x2"), "retry.multiplier");
        assertRejected(Map.of("retry.maxDelayMs", "5 min"), "retry.maxDelayMs");
    }

    @Test
    public void notANumberMultiplierIsRejected() {
        assertRejected(Map.of("retry.multiplier", "NaN"), "retry.multiplier");
    }

    private static RetryPolicy retry(Map<String, ?> cfg) {
        return Settings.of(cfg, "etc/test.cfg").retry();
    }

    @Test
    public void theMessageNamesTheFileTheProblemAndTheFix() {
        SettingsException e = assertThrows(SettingsException.class, () -> retry(Map.of("retry.maxAttempts", "three")));
        assertEquals("retry.maxAttempts", e.key());
        assertTrue(e.getMessage(), e.getMessage().startsWith("etc/test.cfg: retry.maxAttempts = 'three' is not a whole number"));
        assertTrue(e.getMessage(), e.getMessage().contains("fix: write a whole number from 1 to 1000"));
    }

    private static void assertRejected(Map<String, ?> cfg, String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> retry(cfg));
        assertTrue(cfg + " -> " + e.getMessage(), e.getMessage().contains(key));
    }
}
