package fr.aisne.hub.connector.echo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDatabase;

/**
 * The poller shape against a partner's outbox served over real HTTP: what the hub takes is acknowledged to the
 * partner, what it cannot take now stays there for the next poll, and a partner answering badly is only a status.
 */
public class EchoPollerTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private TestDatabase db;
    private TestConnectorContext ctx;
    private HttpServer partner;
    private volatile int outboxStatus = 200;
    private final List<String> outbox = new CopyOnWriteArrayList<>(List.of(
            "{\"id\":\"n1\",\"subject\":\"s\",\"text\":\"one\"}", "{\"id\":\"n2\",\"subject\":\"s\",\"text\":\"two\"}"));
    private final List<String> acks = new CopyOnWriteArrayList<>();

    @Before
    public void setUp() throws IOException {
        db = TestDatabase.embeddedDerby(new File(tmp.getRoot(), "db").getAbsolutePath());
        ctx = new TestConnectorContext("echo", db.database(), new MutableClock(Instant.parse("2026-12-07T10:00:00Z")));
        partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        partner.createContext("/echo/outbox", this::serve);
        partner.start();
    }

    @After
    public void tearDown() {
        partner.stop(0);
        db.close();
    }

    private void serve(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        byte[] body = new byte[0];
        int status = 200;
        if (path.equals("/echo/outbox") && x.getRequestMethod().equals("GET")) {
            status = outboxStatus;
            body = ("[" + String.join(",", outbox) + "]").getBytes(StandardCharsets.UTF_8);
        } else if (path.endsWith("/ack") && x.getRequestMethod().equals("POST")) {
            String id = path.substring("/echo/outbox/".length(), path.length() - "/ack".length());
            acks.add(id);
            outbox.removeIf(n -> n.contains("\"id\":\"" + id + "\""));
        } else {
            status = 404;
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    private EchoPoller poller() throws Exception {
        EchoConnector c = new EchoConnector();
        c.activate(Map.of("poll.seconds", "60", "target.url",
                "http://127.0.0.1:" + partner.getAddress().getPort() + "/echo"));
        c.configure(ctx);
        return new EchoPoller(URI.create("http://127.0.0.1:" + partner.getAddress().getPort() + "/echo/outbox"),
                ctx.intake(), ctx.flow("notes"), ctx.partnerGuard("echo", null));
    }

    @Test
    public void whatTheHubTookIsAcknowledgedWithThePartnersIdAsMessageId() throws Exception {
        EchoPoller p = poller();
        p.poll();
        assertEquals(List.of("n1", "n2"), acks);
        assertEquals(2, ctx.accepted().size());
        assertEquals("n1", ctx.accepted().get(0).metadata().partnerMessageId());
        assertTrue(ctx.accepted().get(1).text().contains("\"text\":\"two\""));
        assertTrue(p.status(), p.status().endsWith("2 notes taken"));
        p.poll();
        assertEquals("nothing left at the partner", 2, ctx.accepted().size());
    }

    @Test
    public void whatTheHubCannotTakeNowStaysAtThePartnerForTheNextPoll() throws Exception {
        EchoPoller p = poller();
        ctx.answer(a -> a.metadata().partnerMessageId().equals("n2") ? IngestResult.Outcome.NO_SPACE
                : IngestResult.Outcome.QUEUED);
        p.poll();
        assertEquals(List.of("n1"), acks);
        assertEquals(1, outbox.size());
        ctx.answer(a -> IngestResult.Outcome.DUPLICATE); // taken before: acknowledged too
        p.poll();
        assertEquals(List.of("n1", "n2"), acks);
        assertTrue(outbox.isEmpty());
    }

    @Test
    public void aPartnerAnsweringBadlyIsAStatusNotAnError() throws Exception {
        EchoPoller p = poller();
        outboxStatus = 503;
        p.poll();
        assertTrue(acks.isEmpty());
        assertTrue(ctx.accepted().isEmpty());
        assertTrue(p.status(), p.status().contains("partner answered HTTP 503"));
    }
}
