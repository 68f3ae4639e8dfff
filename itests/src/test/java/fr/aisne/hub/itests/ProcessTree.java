package fr.aisne.hub.itests;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops {@code bin/karaf} and the Java process it started. The script does not {@code exec} Java (only
 * {@code daemon} does), so it ends at once on SIGTERM while the JVM is still shutting down: waiting for the script
 * alone would let the next test class boot beside a hub that is still stopping, or hung.
 */
final class ProcessTree {
    private ProcessTree() {
    }

    /** SIGTERM to the script and its descendants; SIGKILL to whichever is still there after {@code seconds}. */
    static void terminate(Process root, long seconds) throws InterruptedException {
        if (root == null || !root.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = root.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        root.destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                p.destroyForcibly();
                p.onExit().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
            }
        }
        if (!root.waitFor(30, TimeUnit.SECONDS)) {
            root.destroyForcibly();
            root.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
