package fr.aisne.hub.connector.caf;

/**
 * An open-addressing map from long to long: the household digests of a whole department (or of 200,000
 * households) in a few megabytes, where a HashMap of boxed keys would take tens.
 */
final class LongLongMap {
    private static final long EMPTY = 0L;
    private long[] keys;
    private long[] values;
    private boolean hasZeroKey;
    private long zeroValue;
    private int size;

    LongLongMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
    }

    int size() {
        return size + (hasZeroKey ? 1 : 0);
    }

    void put(long key, long value) {
        if (key == EMPTY) {
            hasZeroKey = true;
            zeroValue = value;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int i = slot(key, keys.length);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & (keys.length - 1);
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** The value, or {@code missing} when the key is absent. */
    long get(long key, long missing) {
        if (key == EMPTY) {
            return hasZeroKey ? zeroValue : missing;
        }
        int i = slot(key, keys.length);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & (keys.length - 1);
        }
        return missing;
    }

    boolean containsKey(long key) {
        if (key == EMPTY) {
            return hasZeroKey;
        }
        int i = slot(key, keys.length);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return true;
            }
            i = (i + 1) & (keys.length - 1);
        }
        return false;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long key, int length) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & (length - 1);
    }

    @Override
    public String toString() {
        return "LongLongMap[size=" + size() + ", capacity=" + keys.length + "]";
    }
}
