package fr.aisne.hub.core.exchange;

import static org.junit.Assert.assertEquals;

import java.time.Duration;

import org.junit.Test;

/** The dispatch table: what is due goes to the broker, once; what the broker refuses waits; sent rows go. */
public class DispatcherTest extends CoreFixtureCase {

    @Test
    public void dueRowsAreSentOnceAndDeletedFutureOnesWait() {
        f.jdbc.inTransaction(() -> {
            f.dispatcher.schedule("00000000-0000-7000-8000-000000000001", "hub.out.x.y", "k", 2, CoreFixture.T0);
            f.dispatcher.schedule("00000000-0000-7000-8000-000000000002", "hub.out.x.y", null, 3,
                    CoreFixture.T0.plusSeconds(60));
        });
        f.dispatcher.passNow();
        assertEquals(1, f.broker.sent.size());
        assertEquals("k", f.broker.last().orderingKey());
        assertEquals(2, f.broker.last().attempt());
        f.dispatcher.passNow();
        assertEquals("sent once", 1, f.broker.sent.size());
        assertEquals(1, f.jdbc.count("SELECT COUNT(*) FROM hub_dispatch"));
        f.later(Duration.ofSeconds(60));
        assertEquals(2, f.broker.sent.size());
        f.dispatcher.passNow();
        assertEquals(0, f.jdbc.count("SELECT COUNT(*) FROM hub_dispatch"));
    }

    @Test
    public void whatTheBrokerRefusesWaitsForTheNextPass() {
        f.jdbc.inTransaction(() -> f.dispatcher.schedule("00000000-0000-7000-8000-000000000003", "hub.out.x.y", null, 1,
                CoreFixture.T0));
        f.broker.refusing = true;
        f.dispatcher.passNow();
        assertEquals(1, f.jdbc.count("SELECT COUNT(*) FROM hub_dispatch"));
        assertEquals(true, f.dispatcher.brokerRefusing());
        f.broker.refusing = false;
        f.dispatcher.passNow();
        assertEquals(1, f.broker.sent.size());
        assertEquals(false, f.dispatcher.brokerRefusing());
    }

    @Test
    public void aRefusalWithNothingLeftToSendEndsWhenTheBrokerIsReachableAgain() {
        // a first send refused and answered 503: withdrawn, nothing waits that a later send could clear the refusal with
        f.broker.refusing = true;
        assertEquals(false, f.dispatcher.sendNow(f.dispatcher.firstSend("00000000-0000-7000-8000-000000000005",
                "hub.out.x.y", null)));
        assertEquals(true, f.dispatcher.brokerRefusing());
        f.broker.refusing = false;
        f.dispatcher.passNow();
        assertEquals("no send to tell", true, f.dispatcher.brokerRefusing());
        f.dispatcher.brokerReachable();
        assertEquals(false, f.dispatcher.brokerRefusing());
    }

    @Test
    public void aRefusalWithASendWaitingIsLeftToThatSend() {
        f.jdbc.inTransaction(() -> f.dispatcher.schedule("00000000-0000-7000-8000-000000000006", "hub.out.x.y", null, 1,
                CoreFixture.T0));
        var first = f.dispatcher.firstSend("00000000-0000-7000-8000-000000000007", "hub.out.x.y", null);
        f.broker.refusing = true;
        f.dispatcher.passNow();
        assertEquals(false, f.dispatcher.sendNow(first));
        f.dispatcher.retryLater(first);
        // the broker takes connections but still refuses sends (its disk full): reachable is not enough
        f.dispatcher.brokerReachable();
        assertEquals(true, f.dispatcher.brokerRefusing());
        f.broker.refusing = false;
        f.dispatcher.passNow();
        assertEquals(false, f.dispatcher.brokerRefusing());
        assertEquals(2, f.broker.sent.size());
    }

    @Test
    public void aCopySentAgainCarriesTheSameDispatchIdSoTheBrokerDropsIt() {
        var d = f.jdbc.inTransaction(() -> f.dispatcher.schedule("00000000-0000-7000-8000-000000000004", "hub.out.x.y",
                null, 1, CoreFixture.T0));
        f.dispatcher.sendNow(d);
        // a hub killed before the sent row was deleted: the next run sends it again, with the same id
        Dispatcher restarted = new Dispatcher(f.jdbc, f.broker, f.clock);
        restarted.passNow();
        assertEquals(2, f.broker.sent.size());
        assertEquals(f.broker.sent.get(0).dispatchId(), f.broker.sent.get(1).dispatchId());
        restarted.close();
    }
}
