package fr.aisne.hub.core.exchange;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import javax.crypto.KeyGenerator;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.ExchangeState;
import fr.aisne.hub.api.operations.StateChange;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.core.journal.GroupCommit;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.store.PayloadCipher;
import fr.aisne.hub.core.store.PayloadStore;

/**
 * The exchange core as HubCore assembles it, on a real embedded Derby migrated with the core's scripts, minus
 * Camel and the broker: the broker is a {@link RecordingSender} the test can make refuse.
 */
final class CoreFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    /** What the dispatcher put on the broker's queues. */
    static final class RecordingSender implements Dispatcher.Sender {
        record Sent(String queue, String exchangeId, String orderingKey, int attempt, String dispatchId) {
        }

        final List<Sent> sent = new CopyOnWriteArrayList<>();
        volatile boolean refusing;
        /** Runs inside a refused send, before it throws: what a consumer did while the send timed out. */
        volatile java.util.function.Consumer<String> whileRefusing = id -> { };

        @Override
        public void send(String queue, String exchangeId, String orderingKey, int attempt, String dispatchId)
                throws Exception {
            if (refusing) {
                whileRefusing.accept(exchangeId);
                throw new IllegalStateException("broker refuses (test)");
            }
            sent.add(new Sent(queue, exchangeId, orderingKey, attempt, dispatchId));
        }

        Sent last() {
            return sent.get(sent.size() - 1);
        }
    }

    final TestDatabase db;
    final Jdbc jdbc;
    final MutableClock clock = new MutableClock(T0);
    final HubMetrics metrics = new HubMetrics();
    final Journal journal;
    final PayloadStore store;
    final DuplicateKeys duplicates;
    final RecordingSender broker = new RecordingSender();
    final Dispatcher dispatcher;
    final OrderingHolds holds;
    final GroupCommit accepts;
    final GroupCommit outcomes;
    final IntakeService intake;
    final DeliveryService deliveries;
    volatile Optional<Flow> installed = Optional.empty();

    CoreFixture(File dir, long minFreeBytes) throws Exception {
        db = TestDatabase.embeddedDerby(new File(dir, "db").getAbsolutePath());
        fr.aisne.hub.api.ModuleDatabase mdb = db.database();
        mdb.migrate("core", CoreFixture.class.getClassLoader(), Journal.migrations());
        jdbc = mdb.jdbc();
        journal = new Journal(jdbc, metrics, clock);
        KeyGenerator g = KeyGenerator.getInstance("AES");
        g.init(256);
        store = new PayloadStore(new File(dir, "payloads").toPath(), new PayloadCipher(g.generateKey()), jdbc);
        duplicates = new DuplicateKeys(jdbc, Duration.ofDays(7), clock);
        dispatcher = new Dispatcher(jdbc, broker, clock);
        holds = new OrderingHolds(jdbc, journal, clock);
        BiFunction<String, String, Optional<Flow>> flows = (p, f) -> installed.filter(x -> x.partner().equals(p)
                && x.name().equals(f));
        accepts = new GroupCommit(journal, "accepts", 64);
        outcomes = new GroupCommit(journal, "outcomes", 64);
        deliveries = new DeliveryService(journal, store, dispatcher, holds, outcomes, 3, clock);
        intake = new IntakeService(journal, store, duplicates, dispatcher, deliveries, holds, accepts, minFreeBytes, flows);
    }

    IngestResult accept(Flow flow, String body, String messageId, String orderingKey) throws IOException {
        installed = Optional.of(flow);
        IngestResult r = intake.accept(flow, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata(null, messageId, "application/json", "test", orderingKey));
        return r;
    }

    IngestResult acceptOverHttp(Flow flow, String body, String messageId) throws IOException {
        installed = Optional.of(flow);
        return intake.acceptOverHttp(flow, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata(null, messageId, "application/json", "test"));
    }

    /** A partner guard (partner "echo") whose circuit is open: deliveries it guards are deferred. */
    fr.aisne.hub.api.PartnerGuard openCircuit() throws fr.aisne.hub.api.DeliveryFailure {
        var guard = new fr.aisne.hub.core.guard.PartnerGuards(clock).guard("echo",
                new fr.aisne.hub.api.PartnerLimits(0, 0, 1, Duration.ofSeconds(30)));
        guard.permit();
        guard.failed(); // one failure opens a circuit of threshold 1
        return guard;
    }

    ExchangeRecord record(String id) {
        return journal.find(id).orElseThrow();
    }

    ExchangeState state(String id) {
        return record(id).state();
    }

    List<ExchangeState> history(String id) {
        return record(id).history().stream().map(StateChange::state).toList();
    }

    /** Dispatch rows still waiting for the broker (due or not), for an exchange. */
    long pending(String id) {
        return jdbc.count("SELECT COUNT(*) FROM hub_dispatch WHERE exchange_id = ?", id);
    }

    /** When the exchange's next dispatch is due. */
    Instant due(String id) {
        return jdbc.one("SELECT due_at FROM hub_dispatch WHERE exchange_id = ? ORDER BY due_at DESC", rs -> Jdbc.instant(rs, 1), id)
                .orElseThrow();
    }

    /** Delivers what the broker would hand to the flow's consumer: the last dispatch of that exchange. */
    void consume(Flow flow, fr.aisne.hub.api.DeliveryHandler handler, String exchangeId) {
        RecordingSender.Sent s = broker.sent.stream().filter(x -> x.exchangeId().equals(exchangeId))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("nothing sent for " + exchangeId));
        deliveries.onMessage(flow, handler, exchangeId, s.attempt(), 1);
    }

    /** Moves the clock and runs the dispatcher's loop once (retries and releases that are due are sent). */
    void later(Duration d) {
        clock.advance(d);
        dispatcher.passNow();
    }

    @Override
    public void close() {
        accepts.close();
        outcomes.close();
        dispatcher.close();
        db.close();
    }
}
