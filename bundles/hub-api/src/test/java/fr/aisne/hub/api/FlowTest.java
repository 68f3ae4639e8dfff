package fr.aisne.hub.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Set;

import org.junit.Test;


public class FlowTest {

    @Test
    public void validIdsAreAccepted() {
        Flow f = Flow.outbound("pole-emploi", "relay2");
        assertEquals("pole-emploi", f.partner());
        assertEquals("relay2", f.name());
        Flow.inbound("a", "b");
        Flow.inbound("a".repeat(40), "b");
    }

    @Test
    public void invalidIdsAreRejected() {
        for (String bad : new String[] {"Echo", "ECHO", "my flow", "echo ", "", "1echo", "-echo", "echo_relay",
                "echo.relay", "echo/relay", "a".repeat(41), "écho"}) {
            IllegalArgumentException p = assertThrows(bad, IllegalArgumentException.class,
                    () -> Flow.outbound(bad, "relay"));
            assertTrue(p.getMessage(), p.getMessage().startsWith("partner id"));
            IllegalArgumentException f = assertThrows(bad, IllegalArgumentException.class,
                    () -> Flow.inbound("echo", bad));
            assertTrue(f.getMessage(), f.getMessage().startsWith("flow id"));
        }
        assertThrows(IllegalArgumentException.class, () -> Flow.outbound(null, "relay"));
        assertThrows(IllegalArgumentException.class, () -> Flow.outbound("echo", null));
    }

    @Test
    public void queueAndKeyNames() {
        Flow out = Flow.outbound("echo", "relay");
        assertEquals(Direction.OUTBOUND, out.direction());
        assertEquals("hub.out.echo.relay", out.queue());
        assertEquals("echo/relay", out.key());
        Flow in = Flow.inbound("caf", "notifications");
        assertEquals(Direction.INBOUND, in.direction());
        assertEquals("hub.in.caf.notifications", in.queue());
        assertEquals("caf/notifications", in.key());
    }

    @Test
    public void defaults() {
        Flow f = Flow.outbound("echo", "relay");
        assertNull("no HTTP route unless asked", f.httpPath());
        assertNull(f.deliveryUri());
        assertNull("no validator: the handler checks the payload", f.validator());
        assertEquals(1, f.concurrency());
        assertSame(OrderingKey.NONE, f.orderingKey());
        assertEquals(Duplicates.MESSAGE_ID_ELSE_DIGEST, f.duplicates());
        assertSame(RetryPolicy.DEFAULT, f.retry());
        assertEquals(10L * 1024 * 1024, f.maxPayloadBytes());
        assertEquals("X-Message-Id", f.partnerMessageIdHeader());
        assertEquals(Set.of("admin"), f.httpSender().roles());
    }

    @Test
    public void acceptHttpPathsLiveUnderIn() {
        Flow f = Flow.outbound("echo", "relay").acceptHttp("/in/echo/relay", "admin", "sender-echo");
        assertEquals("/in/echo/relay", f.httpPath());
        assertEquals(Set.of("admin", "sender-echo"), f.httpSender().roles());
        assertEquals("roles default to admin", Set.of("admin"),
                Flow.outbound("echo", "relay").acceptHttp("/in/x").httpSender().roles());
        for (String bad : new String[] {"/ops/api", "in/echo", "/inbox", "/", "", "/in/../api", "/in/echo/../../api", "/in/", "/in/Echo"}) {
            IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class,
                    () -> Flow.outbound("echo", "relay").acceptHttp(bad));
            assertTrue(e.getMessage(), e.getMessage().contains("/in/"));
        }
    }

    @Test
    public void concurrencyIsBounded() {
        assertEquals(16, Flow.outbound("echo", "relay").concurrency(16).concurrency());
        assertThrows(IllegalArgumentException.class, () -> Flow.outbound("echo", "relay").concurrency(0));
        assertThrows(IllegalArgumentException.class,
                () -> Flow.outbound("echo", "relay").concurrency(Flow.MAX_CONCURRENCY + 1));
    }

    @Test
    public void aHandlerReplacesAUriAndTheOtherWayRound() {
        DeliveryHandler h = d -> DeliveryResult.delivered("done");
        Flow f = Flow.outbound("echo", "relay").deliverTo("direct:x").deliverTo(h);
        assertSame(h, f.deliveryHandler());
        assertNull(f.deliveryUri());
        f.deliverTo("direct:y");
        assertNull(f.deliveryHandler());
        assertTrue(f.delivers());
        assertTrue(!Flow.outbound("echo", "relay").delivers());
    }

    @Test
    public void builderKeepsWhatItIsGiven() {
        RetryPolicy retry = new RetryPolicy(3, 10, 2.0, 100);
        PayloadValidator v = in -> { };
        Flow f = Flow.outbound("echo", "relay").deliverTo("direct:x").retry(retry).validator(v).maxPayloadBytes(5)
                .partnerMessageIdHeader("X-Id");
        assertEquals("direct:x", f.deliveryUri());
        assertSame(retry, f.retry());
        assertSame(v, f.validator());
        assertEquals(5, f.maxPayloadBytes());
        assertEquals("X-Id", f.partnerMessageIdHeader());
        assertThrows(NullPointerException.class, () -> f.deliverTo((String) null));
        assertThrows(NullPointerException.class, () -> f.deliverTo((DeliveryHandler) null));
        assertThrows(NullPointerException.class, () -> f.validator(null));
        assertThrows(NullPointerException.class, () -> f.retry(null));
    }
}
