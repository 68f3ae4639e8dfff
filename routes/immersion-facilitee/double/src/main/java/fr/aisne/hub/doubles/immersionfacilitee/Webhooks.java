package fr.aisne.hub.doubles.immersionfacilitee;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Webhook subscriptions and calls, as the platform makes them: per consumer, only its FIRST
 * {@code convention.updated} subscription is called; {@code POST callbackUrl} with the subscription's static
 * headers and {@code {"payload": {"convention": ...}, "subscribedEvent": "convention.updated"}}; not signed, no
 * event id; a timeout ({@code webhookTimeoutMillis}, 10 s); no retry of a failed or slow call; a few calls in
 * flight at once ({@code webhook.concurrency}, 5), so they can arrive out of order. Injected: dropped calls,
 * duplicated calls, held-and-reversed calls, random jitter. Logs carry ids and outcomes, never a URL or a header.
 */
final class Webhooks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String CONVENTION_UPDATED = "convention.updated";
    /** Held calls are made anyway this long after the first was held, if fewer than asked for came. */
    static final long REORDER_FLUSH_MILLIS = 3000;
    private static final int RECENT = 500;

    /** A subscription as {@code GET /v2/webhooks} lists it. */
    record Subscription(String id, String consumerId, String callbackUrl, String subscribedEvent,
            Map<String, String> callbackHeaders, Instant createdAt) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("callbackUrl", callbackUrl);
            m.put("subscribedEvent", subscribedEvent);
            m.put("callbackHeaders", callbackHeaders);
            m.put("id", id);
            m.put("createdAt", Convention.iso(createdAt));
            return m;
        }
    }

    /** One call to make: where, what, and for the record which convention in which status. */
    private record Call(Subscription subscription, String consumerName, String conventionId, String status,
            byte[] body, boolean duplicate, boolean reordered) {
        Call asDuplicate() {
            return new Call(subscription, consumerName, conventionId, status, body, true, reordered);
        }

        Call asReordered() {
            return new Call(subscription, consumerName, conventionId, status, body, duplicate, true);
        }
    }

    private final Map<String, List<Subscription>> byConsumer = new LinkedHashMap<>();
    private final AtomicReference<Behaviour> behaviour;
    private final Stats stats;
    private final Clock clock;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final HttpClient http;
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();
    private final List<Call> held = new ArrayList<>();
    private ScheduledFuture<?> flush;
    private final AtomicInteger inFlight = new AtomicInteger();

    Webhooks(int concurrency, AtomicReference<Behaviour> behaviour, Stats stats, Clock clock) {
        this.behaviour = behaviour;
        this.stats = stats;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> daemon(r, "double-immersion-facilitee-webhook-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "double-immersion-facilitee-reorder"));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ------------------------------------------------------------------------------------------ subscriptions

    synchronized Subscription subscribe(Consumer consumer, String callbackUrl, Map<String, String> headers) {
        Subscription s = new Subscription(UUID.randomUUID().toString(), consumer.id(), callbackUrl, CONVENTION_UPDATED,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers)), clock.instant());
        byConsumer.computeIfAbsent(consumer.id(), k -> new ArrayList<>()).add(s);
        stats.count(Stats.SUBSCRIPTIONS_CREATED);
        return s;
    }

    synchronized List<Subscription> list(Consumer consumer) {
        return List.copyOf(byConsumer.getOrDefault(consumer.id(), List.of()));
    }

    synchronized boolean delete(Consumer consumer, String subscriptionId) {
        List<Subscription> subs = byConsumer.get(consumer.id());
        boolean removed = subs != null && subs.removeIf(s -> s.id().equals(subscriptionId));
        if (removed) {
            stats.count(Stats.SUBSCRIPTIONS_DELETED);
        }
        return removed;
    }

    synchronized int subscriptionCount() {
        int n = 0;
        for (List<Subscription> l : byConsumer.values()) {
            n += l.size();
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------ calls

    /** Calls, for {@code event}, the first subscription of each consumer allowed to hear of it. */
    void fire(Conventions.Event event, Collection<Consumer> consumers) {
        stats.count(Stats.WEBHOOK_EVENTS);
        byte[] body;
        try {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("convention", event.convention());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("payload", payload);
            m.put("subscribedEvent", CONVENTION_UPDATED);
            body = MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (Consumer c : consumers) {
            if (!c.may(Consumer.SUBSCRIPTION) || c.revoked()) {
                continue;
            }
            boolean concerned = false;
            for (String id : event.agencyIds()) {
                concerned |= c.agencyIds().contains(id);
            }
            for (String kind : event.agencyKinds()) {
                concerned |= c.agencyKinds().contains(kind);
            }
            Subscription first;
            synchronized (this) {
                List<Subscription> subs = byConsumer.getOrDefault(c.id(), List.of());
                first = subs.stream().filter(s -> s.subscribedEvent().equals(CONVENTION_UPDATED)).findFirst().orElse(null);
            }
            if (concerned && first != null) {
                route(new Call(first, c.name(), event.conventionId(), event.status(), body, false, false));
            }
        }
    }

    /** Applies the injected faults in order (drop, duplicate, hold and reverse), then queues the call. */
    private void route(Call call) {
        if (take(Behaviour::webhookDropNext, Behaviour::withWebhookDropNext)) {
            stats.count(Stats.WEBHOOKS_DROPPED);
            record(call, "dropped", null);
            LOG.debug("Immersion Facilitée double: webhook for convention {} ({}) dropped", call.conventionId(), call.status());
            return;
        }
        boolean twice = take(Behaviour::webhookDuplicateNext, Behaviour::withWebhookDuplicateNext);
        if (twice) {
            stats.count(Stats.WEBHOOKS_DUPLICATED);
        }
        List<Call> calls = twice ? List.of(call, call.asDuplicate()) : List.of(call);
        synchronized (this) {
            Behaviour b = behaviour.get();
            if (b.webhookReorderNext() > 0 || !held.isEmpty()) {
                if (b.webhookReorderNext() > 0) {
                    behaviour.set(b.withWebhookReorderNext(b.webhookReorderNext() - 1));
                }
                for (Call c : calls) {
                    held.add(c.asReordered());
                }
                stats.count(Stats.WEBHOOKS_REORDERED);
                if (behaviour.get().webhookReorderNext() == 0) {
                    flushHeld();
                } else if (flush == null) {
                    flush = timer.schedule(this::flushHeldLater, REORDER_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                }
                return;
            }
        }
        submit(calls);
    }

    private synchronized void flushHeldLater() {
        flush = null;
        if (!held.isEmpty()) {
            behaviour.set(behaviour.get().withWebhookReorderNext(0));
            flushHeld();
        }
    }

    /** The held calls, newest first, one after the other. */
    private synchronized void flushHeld() {
        if (flush != null) {
            flush.cancel(false);
            flush = null;
        }
        List<Call> reversed = new ArrayList<>(held);
        java.util.Collections.reverse(reversed);
        held.clear();
        submit(reversed);
    }

    private void submit(List<Call> calls) {
        inFlight.incrementAndGet();
        try {
            pool.execute(() -> {
                try {
                    long jitter = behaviour.get().webhookJitterMillis();
                    if (jitter > 0) {
                        Thread.sleep(ThreadLocalRandom.current().nextLong(jitter + 1));
                    }
                    for (Call c : calls) {
                        send(c);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.decrementAndGet();
        }
    }

    private void send(Call call) throws InterruptedException {
        long timeout = behaviour.get().webhookTimeoutMillis();
        long start = System.nanoTime();
        String outcome;
        Integer status = null;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(call.subscription().callbackUrl()))
                    .timeout(Duration.ofMillis(timeout))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/plain, */*")
                    .header("User-Agent", "axios/1.7.7");
            call.subscription().callbackHeaders().forEach(b::header);
            HttpResponse<Void> r = http.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(call.body())).build(),
                    HttpResponse.BodyHandlers.discarding());
            status = r.statusCode();
            if (status >= 200 && status < 300) {
                outcome = "sent";
                stats.count(Stats.WEBHOOKS_SENT);
            } else {
                outcome = "failed";
                stats.count(Stats.WEBHOOKS_FAILED);
            }
        } catch (HttpTimeoutException e) {
            outcome = "timeout";
            stats.count(Stats.WEBHOOKS_FAILED);
            stats.count(Stats.WEBHOOKS_TIMED_OUT);
        } catch (java.io.IOException | IllegalArgumentException e) {
            outcome = "failed";
            stats.count(Stats.WEBHOOKS_FAILED);
        }
        record(call, outcome, status);
        LOG.debug("Immersion Facilitée double: webhook for convention {} ({}) to subscription {}: {}{} in {} ms (no retry)",
                call.conventionId(), call.status(), call.subscription().id(), outcome, status == null ? "" : " " + status,
                (System.nanoTime() - start) / 1_000_000);
    }

    private boolean take(java.util.function.ToIntFunction<Behaviour> get,
            java.util.function.BiFunction<Behaviour, Integer, Behaviour> with) {
        while (true) {
            Behaviour b = behaviour.get();
            int n = get.applyAsInt(b);
            if (n <= 0) {
                return false;
            }
            if (behaviour.compareAndSet(b, with.apply(b, n - 1))) {
                return true;
            }
        }
    }

    private synchronized void record(Call call, String outcome, Integer status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", Convention.iso(clock.instant()));
        m.put("conventionId", call.conventionId());
        m.put("conventionStatus", call.status());
        m.put("consumer", call.consumerName());
        m.put("subscriptionId", call.subscription().id());
        m.put("outcome", outcome);
        m.put("httpStatus", status);
        m.put("duplicate", call.duplicate());
        m.put("reordered", call.reordered());
        recent.addLast(m);
        while (recent.size() > RECENT) {
            recent.removeFirst();
        }
    }

    /** The last calls (made, failed or dropped), oldest first. */
    synchronized List<Map<String, Object>> recent() {
        return new ArrayList<>(recent);
    }

    /** Webhook calls queued or being made (held ones excluded). */
    int inFlight() {
        return inFlight.get();
    }

    synchronized void reset() {
        byConsumer.clear();
        held.clear();
        if (flush != null) {
            flush.cancel(false);
            flush = null;
        }
        recent.clear();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        timer.shutdownNow();
    }
}
