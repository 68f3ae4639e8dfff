package fr.aisne.hub.connector.francetravail.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.PartnerGuard;

/**
 * A partner guard that records what the connector tells it (the hub's real guard, with its rate limit and circuit
 * breaker, is hub-core's and tested there): permits asked, pauses asked by France Travail, successes and failures.
 */
public final class RecordingGuard implements PartnerGuard {
    public final AtomicInteger permits = new AtomicInteger();
    public final AtomicInteger successes = new AtomicInteger();
    public final AtomicInteger failures = new AtomicInteger();
    public final List<Duration> pauses = new CopyOnWriteArrayList<>();
    /** When set, permit() refuses with this failure (an open circuit). */
    public volatile DeliveryFailure refuse;

    @Override
    public String partner() {
        return "france-travail";
    }

    @Override
    public void permit() throws DeliveryFailure {
        permits.incrementAndGet();
        if (refuse != null) {
            throw refuse;
        }
    }

    @Override
    public void pause(Duration pause) {
        pauses.add(pause);
    }

    @Override
    public void succeeded() {
        successes.incrementAndGet();
    }

    @Override
    public void failed() {
        failures.incrementAndGet();
    }

    @Override
    public String describe() {
        return "france-travail: recording guard (test)";
    }

    @Override
    public boolean open() {
        return refuse != null;
    }
}
