package fr.aisne.hub.itests;

/**
 * The ports of one test fork. Failsafe runs two test classes at once, each in its own fork (itests/pom.xml,
 * {@code forkCount}); every port a test binds or configures is shifted by a thousand per fork so that two
 * distributions never meet.
 */
final class Ports {
    /** 0 in the first fork, 1000 in the second (Failsafe numbers its forks from 1). */
    static final int OFFSET = 1000 * (Integer.getInteger("hub.itest.fork", 1) - 1);

    private Ports() {
    }

    /** The port {@code base} of this fork. */
    static int of(int base) {
        return base + OFFSET;
    }
}
