package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.api.testing.TestDelivery;

/**
 * The connector without the hub: its runtime on a test context (real Derby tables, in-memory secrets), the fake
 * platform over HTTP, the fake registry; {@link #drain()} plays the core's part: every message handed to the intake is
 * delivered to its flow's handler, in the order received, a message id seen before being a duplicate, a temporary
 * failure left for the next drain.
 */
final class Harness implements AutoCloseable {
    final FakePlatform platform;
    final FakeRegistry registry = new FakeRegistry();
    final TestDatabase db;
    final TestConnectorContext ctx;
    final ImRuntime runtime;
    final Map<String, String> settings;
    /** What each delivery said, in order: "flow state detail". */
    final List<String> journal = new ArrayList<>();
    final List<DeliveryFailure> failures = new ArrayList<>();
    private final Set<String> seenIds = new HashSet<>();
    private int delivered;
    private final List<TestConnectorContext.Accepted> retry = new ArrayList<>();
    volatile boolean keepRqth;

    Harness(String name, String... settingPairs) throws Exception {
        this(name, null, settingPairs);
    }

    Harness(String name, HttpSecurity http, String... settingPairs) throws Exception {
        platform = new FakePlatform();
        db = TestDatabase.embeddedDerby("target/derby/" + name + "-" + System.nanoTime());
        ctx = new TestConnectorContext("immersion-facilitee", db.database(), Clock.systemUTC());
        settings = new LinkedHashMap<>();
        settings.put("api.url", platform.base().toString());
        settings.put("api.key", FakePlatform.KEY);
        settings.put("partner.minIntervalMs", "0");
        settings.put("partner.backoffSeconds", "1");
        settings.put("partner.maxBackoffSeconds", "2");
        for (int i = 0; i + 1 < settingPairs.length; i += 2) {
            settings.put(settingPairs[i], settingPairs[i + 1]);
        }
        runtime = new ImRuntime(settings, http == null ? ctx.http() : http, ctx.secrets(), db.database(), ctx::partnerGuard,
                ctx.intake(), registry, () -> registry, () -> keepRqth, Clock.systemUTC());
        runtime.flows().forEach(ctx::flow);
    }

    /** Delivers what was handed over since the last drain (and the temporary failures again). Returns how many. */
    int drain() {
        int n = 0;
        while (true) {
            List<TestConnectorContext.Accepted> all = ctx.accepted();
            List<TestConnectorContext.Accepted> batch = new ArrayList<>(retry);
            retry.clear();
            batch.addAll(all.subList(delivered, all.size()));
            delivered = all.size();
            if (batch.isEmpty()) {
                return n;
            }
            for (TestConnectorContext.Accepted a : batch) {
                deliver(a);
                n++;
            }
            if (!retry.isEmpty() && ctx.accepted().size() == delivered) {
                return n; // only failures left: the next drain tries them again
            }
        }
    }

    private void deliver(TestConnectorContext.Accepted a) {
        Flow f = a.flow();
        String id = a.metadata().partnerMessageId();
        if (id != null && f.duplicates() != fr.aisne.hub.api.Duplicates.NONE && !seenIds.add(f.key() + "/" + id)) {
            journal.add(f.key() + " DUPLICATE " + id);
            return;
        }
        try {
            DeliveryResult r = f.deliveryHandler().deliver(new TestDelivery(a.exchangeId(), a.exchangeId(), f.partner(),
                    f.name(), "application/json", id, a.metadata().orderingKey(), a.metadata().sender(), 1, a.payload()));
            journal.add(f.key() + (r.ignored() ? " IGNORED " : " DELIVERED ") + r.detail());
        } catch (DeliveryFailure e) {
            failures.add(e);
            journal.add(f.key() + (e.isPermanent() ? " QUARANTINED " : " FAILED ") + e.getMessage());
            if (!e.isPermanent()) {
                seenIds.remove(f.key() + "/" + id);
                retry.add(a);
            }
        }
    }

    /** Journal lines of a flow. */
    List<String> journal(String flowKey) {
        return journal.stream().filter(l -> l.startsWith(flowKey + " ")).toList();
    }

    /** Hands a convention over as a webhook call would. */
    void webhook(String conventionId) throws java.io.IOException {
        new HandOver(conventionId, HandOver.WEBHOOK, Instant.now(), null, null, null)
                .handTo(ctx.intake(), runtime.conventionsFlow, "wh-" + System.nanoTime(), WebhookIntake.SENDER);
    }

    @Override
    public void close() {
        platform.close();
        db.close();
    }
}
