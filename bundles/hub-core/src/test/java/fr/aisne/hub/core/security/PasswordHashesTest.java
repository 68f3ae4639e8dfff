package fr.aisne.hub.core.security;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.Test;

public class PasswordHashesTest {
    private static final int CHEAP = 1_000;

    @Test
    public void aHashIsSaltedAndVerifies() {
        String a = PasswordHashes.hash("s3cret-partner", CHEAP);
        String b = PasswordHashes.hash("s3cret-partner", CHEAP);
        assertTrue(a, a.matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"));
        assertNotEquals("a fresh salt each time", a, b);
        assertTrue(PasswordHashes.verify("s3cret-partner", a));
        assertTrue(PasswordHashes.verify("s3cret-partner", b));
        assertFalse(PasswordHashes.verify("s3cret-partnex", a));
        assertFalse(PasswordHashes.verify("", a));
        assertFalse(PasswordHashes.verify(null, a));
        assertFalse("no comma, so it fits a users.properties value", a.contains(","));
    }

    @Test
    public void theCountTravelsWithTheHash() {
        String old = PasswordHashes.hash("pw-of-long-ago", CHEAP);
        assertEquals(CHEAP, PasswordHashes.iterationsOf(old));
        assertTrue("still verifies whatever the current setting", PasswordHashes.verify("pw-of-long-ago", old));
    }

    @Test
    public void legacySha512DigestsVerifySoTheyCanBeRehashed() throws Exception {
        String legacy = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512")
                .digest("karaf".getBytes(StandardCharsets.UTF_8)));
        assertTrue(PasswordHashes.isLegacy(legacy));
        assertTrue(PasswordHashes.verify("karaf", legacy));
        assertTrue("Karaf compares hex digests case-insensitively", PasswordHashes.verify("karaf", legacy.toUpperCase()));
        assertFalse(PasswordHashes.verify("karaf2", legacy));
        assertFalse(PasswordHashes.isLegacy(PasswordHashes.hash("karaf", CHEAP)));
    }

    @Test
    public void malformedStoredValuesNeverVerify() {
        assertFalse(PasswordHashes.verify("x", "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertFalse(PasswordHashes.verify("x", "x"));
        assertFalse(PasswordHashes.verify("x", ""));
        assertFalse(PasswordHashes.verify("x", null));
    }

    /** The figure behind DEFAULT_ITERATIONS: the best of 5 checks after 2 warm-up ones, printed, not asserted. */
    @Test
    public void printsTheCostOfOneCheck() {
        String stored = PasswordHashes.hash("a-partner-password", PasswordHashes.DEFAULT_ITERATIONS);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            long t0 = System.nanoTime();
            assertTrue(PasswordHashes.verify("a-partner-password", stored));
            if (i >= 2) {
                best = Math.min(best, System.nanoTime() - t0);
            }
        }
        System.out.println("FIGURE pbkdf2-sha256-" + PasswordHashes.DEFAULT_ITERATIONS + "-check-ms="
                + best / 1_000_000);
    }
}
