package fr.aisne.hub.core.util;

import java.util.UUID;

/**
 * Exchange ids: UUIDs whose first 48 bits are the time in milliseconds (the layout of UUID version 7), so that
 * new rows land at the end of the journal's primary-key index instead of at random pages, and ids sort by time.
 */
public final class Ids {

    private Ids() {
    }

    public static String newExchangeId() {
        long millis = System.currentTimeMillis();
        byte[] r = new byte[10];
        PerThreadRandom.nextBytes(r);
        long msb = (millis << 16) | 0x7000L | ((r[0] & 0x0FL) << 8) | (r[1] & 0xFFL);
        long lsb = 0x8000000000000000L | ((r[2] & 0x3FL) << 56);
        for (int i = 3; i < 10; i++) {
            lsb |= (r[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(msb, lsb).toString();
    }

    /** True for the shape of an exchange id (any UUID in lower-case text). */
    public static boolean isExchangeId(String id) {
        return id != null && id.length() == 36 && id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
