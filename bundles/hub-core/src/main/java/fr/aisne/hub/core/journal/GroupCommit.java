package fr.aisne.hub.core.journal;

import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Jdbc;

/**
 * Commits the journal writes of many threads together: each caller's work runs on one writer thread, inside a
 * transaction shared with the work of the callers that arrived meanwhile, under a savepoint of its own; the caller
 * returns once that transaction is committed, or gets its work's exception (its statements rolled back alone).
 * One commit, one connection and one set of table locks then serve a batch instead of a message: under load the
 * work of 32 accepting threads is written by one thread, without waiting for a batch to fill (what arrives while
 * the previous batch commits is the next batch).
 *
 * <p>If the shared transaction itself is lost (a deadlock victim, a failed commit), each work of the batch is run
 * again in a transaction of its own, so one caller's trouble never becomes another's. Work must touch the database
 * only, or defer what it does in memory to {@link Journal#afterCommit} (run once its transaction is committed).
 * Callers whose work may wait on each other's rows must not share a writer with work taking the same rows in
 * another order: the accepts and the delivery outcomes each have their own.
 */
public final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private static final class Work {
        final Runnable work;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        List<Runnable> afterCommit;
        RuntimeException failure;

        Work(Runnable work) {
            this.work = work;
        }
    }

    private final Journal journal;
    private final Jdbc jdbc;
    private final int maxBatch;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.LongAdder shared = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder sharedWorks = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder lost = new java.util.concurrent.atomic.LongAdder();

    /** @param maxBatch the most works one transaction takes; 1 turns grouping off (each caller writes alone) */
    public GroupCommit(Journal journal, String name, int maxBatch) {
        this.journal = journal;
        this.jdbc = journal.jdbc();
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::loop, "hub-journal-" + name);
        writer.setDaemon(true);
        if (maxBatch > 1) {
            writer.start();
        } else {
            closed = true;
        }
    }

    /**
     * Runs {@code work} in a transaction shared with other callers' and returns once it is committed; throws what the
     * work threw (its writes rolled back, the others' not). Inside a transaction already, joins it.
     */
    public void run(Runnable work) {
        if (closed || jdbc.inTransaction() || Thread.currentThread() == writer) {
            journal.transaction(work);
            return;
        }
        Work w = new Work(work);
        queue.add(w);
        if (closed && queue.remove(w)) {
            journal.transaction(work); // closed meanwhile: nobody will take it
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    w.done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the work is under way: its outcome must be known before returning
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        List<Work> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Work first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (batch.size() == 1) {
                    alone(first);
                } else {
                    together(batch);
                }
            } catch (InterruptedException e) {
                if (!closed) {
                    LOG.warn("Journal writer {} interrupted; the callers write alone from now", writer.getName());
                    closed = true;
                }
            } catch (RuntimeException | Error e) {
                // never leave a caller waiting
                batch.forEach(w -> w.done.completeExceptionally(e));
                LOG.warn("Journal writer {}: {}", writer.getName(), e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    /** One work in a transaction of its own: exactly what the caller would have done. */
    private void alone(Work w) {
        try {
            journal.transaction(w.work);
            w.done.complete(null);
        } catch (RuntimeException | Error e) {
            w.done.completeExceptionally(e);
        }
    }

    private void together(List<Work> batch) {
        try {
            jdbc.inTransaction(() -> {
                for (Work w : batch) {
                    Savepoint sp = jdbc.withConnection(c -> c.setSavepoint());
                    try {
                        w.afterCommit = journal.collectingAfterCommit(w.work);
                        w.failure = null;
                        jdbc.withConnection(c -> {
                            c.releaseSavepoint(sp);
                            return null;
                        });
                    } catch (RuntimeException e) {
                        w.failure = e;
                        w.afterCommit = null;
                        // this work's statements only; if the transaction itself is gone, this throws: all again alone
                        jdbc.withConnection(c -> {
                            c.rollback(sp);
                            return null;
                        });
                    }
                }
            });
        } catch (RuntimeException gone) {
            lost.increment();
            LOG.debug("Shared journal transaction of {} works lost ({}); each written alone", batch.size(), gone.toString());
            batch.forEach(this::alone);
            return;
        }
        shared.increment();
        sharedWorks.add(batch.size());
        for (Work w : batch) {
            if (w.failure != null) {
                w.done.completeExceptionally(w.failure);
            } else {
                w.afterCommit.forEach(Runnable::run);
                w.done.complete(null);
            }
        }
    }

    /** Shared transactions committed, the works they carried, and those lost (their works then written alone). */
    public long[] counts() {
        return new long[] {shared.sum(), sharedWorks.sum(), lost.sum()};
    }

    /** Writes what is queued, then lets callers write alone. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Work w;
        while ((w = queue.poll()) != null) {
            alone(w);
        }
    }
}
