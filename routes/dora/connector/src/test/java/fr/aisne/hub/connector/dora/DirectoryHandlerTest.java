package fr.aisne.hub.connector.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.testing.DeliveryFailures;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * The pages of a pull delivered to the handler, over a real Derby: each item checked, the invalid ones rejected alone,
 * only the changed ones written, and the end of the pull removing what data·inclusion no longer has.
 */
public class DirectoryHandlerTest {
    private DirectoryStore store;
    private PullReports reports;
    private DirectoryHandler handler;
    private int sequence;

    @Before
    public void setUp() {
        fr.aisne.hub.api.ModuleDatabase database = TestTables.empty();
        MutableClock clock = new MutableClock(TestItems.NOW);
        store = new DirectoryStore(database.jdbc(), clock);
        reports = new PullReports();
        handler = new DirectoryHandler(TestItems.V1, store, reports, clock);
    }

    private static ObjectNode page(ObjectNode... items) {
        ObjectNode env = Json.MAPPER.createObjectNode();
        ArrayNode list = env.putArray("items");
        for (ObjectNode i : items) {
            list.add(i);
        }
        env.put("total", items.length).put("page", 1).put("size", items.length).put("pages", 1);
        return env;
    }

    private DeliveryResult deliver(String run, String part, ObjectNode body) throws Exception {
        return handler.deliver(new TestDelivery("x-" + (++sequence), run, "dora", "directory", "application/json",
                run + ":" + part, DirectoryPull.ORDERING_KEY, DirectoryPull.SENDER, 1,
                Json.write(body).getBytes(StandardCharsets.UTF_8)));
    }

    private static ObjectNode end(String run, List<String> structures, List<String> services) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("run", run);
        structures.forEach(e.putArray("structures")::add);
        services.forEach(e.putArray("services")::add);
        return e;
    }

    private Map<String, Object> counts(String run, Kind kind) {
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) reports.snapshot(run).get(kind.collection);
        return c;
    }

    @Test
    public void anItemOfAnotherShapeIsRejectedAloneAndThePageDelivered() throws Exception {
        reports.start("pull-1", "test", TestItems.NOW);
        ObjectNode v0 = TestItems.service("dora--v0", "dora--s");
        v0.remove("description");
        v0.put("presentation_resume", "Ancienne forme");
        ObjectNode future = TestItems.service("dora--future", "dora--s");
        future.put("date_maj", "2099-01-01");
        DeliveryResult r = deliver("pull-1", "services:1", page(TestItems.service("dora--a", "dora--s"), v0,
                TestItems.service("dora--b", "dora--s"), future));
        assertFalse(r.ignored());
        assertTrue(r.detail(), r.detail().startsWith("services page 1 of pull-1: 4 items, 2 new, 0 changed, 0 unchanged, "
                + "2 rejected"));
        assertTrue(r.detail(), r.detail().contains("dora--v0: description: schema:required"));
        assertTrue(r.detail(), r.detail().contains("v0-shape"));
        assertTrue(r.detail(), r.detail().contains("dora--future: date_maj: date_maj-range"));
        assertEquals(2, store.count(Kind.SERVICE));
        Map<String, Object> c = counts("pull-1", Kind.SERVICE);
        assertEquals(4, c.get("received"));
        assertEquals(2, c.get("inserted"));
        assertEquals(2, c.get("rejected"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rejected = (List<Map<String, Object>>) reports.snapshot("pull-1").get("rejected");
        assertEquals(List.of("dora--v0", "dora--future"), rejected.stream().map(m -> m.get("id")).toList());
    }

    /** Found by benchmarks/fuzz (dora.directory): a rejected item's id holding a date went whole into the journal. */
    @Test
    public void aRejectedItemsIdIsShownWithoutWhatLooksLikeADateOrANumber() throws Exception {
        reports.start("pull-1", "test", TestItems.NOW);
        ObjectNode dated = TestItems.service("d1985-05-31ccas-tous", "dora--s");
        dated.remove("description");
        ObjectNode numbered = TestItems.service("dora--185057800608491", "dora--s");
        numbered.remove("description");
        DeliveryResult r = deliver("pull-1", "services:1", page(dated, numbered));
        assertTrue(r.detail(), r.detail().contains("d[date]ccas-tous: description: schema:required"));
        assertTrue(r.detail(), r.detail().contains("dora--[NIR]: description: schema:required"));
        assertFalse(r.detail(), r.detail().contains("1985") || r.detail().contains("185057800608491"));
        assertEquals("dora--laon-ccas", DirectoryHandler.shown("dora--laon-ccas"));
        assertEquals("02a15e00-0000-4000-8000-000000000002", DirectoryHandler.shown("02a15e00-0000-4000-8000-000000000002"));
    }

    @Test
    public void anUnchangedItemCostsNoWriteAndAChangedOneOne() throws Exception {
        reports.start("pull-1", "test", TestItems.NOW);
        deliver("pull-1", "structures:1", page(TestItems.structure("dora--s"), TestItems.structure("dora--t")));
        assertEquals(2, reports.latest().writes());

        // the next day: the same items, with what data·inclusion adds changing (ignored), one item changed
        reports.start("pull-2", "test", TestItems.NOW);
        ObjectNode same = TestItems.structure("dora--s");
        same.put("score_qualite", 0.9);
        same.putArray("doublons");
        ObjectNode changed = TestItems.structure("dora--t");
        changed.put("telephone", "+33323000000");
        DeliveryResult r = deliver("pull-2", "structures:1", page(same, changed));
        assertTrue(r.detail(), r.detail().contains("0 new, 1 changed, 1 unchanged, 0 rejected"));
        assertEquals(1, reports.latest().writes());

        reports.start("pull-3", "test", TestItems.NOW);
        deliver("pull-3", "structures:1", page(same, changed));
        assertEquals("nothing changed: nothing written", 0, reports.latest().writes());
        assertEquals(2, counts("pull-3", Kind.STRUCTURE).get("unchanged"));
        // delivered twice (a crash after the commit): nothing written either
        deliver("pull-3", "structures:1", page(same, changed));
        assertEquals(0, reports.latest().writes());
    }

    @Test
    public void anItemThatTurnsInvalidLeavesTheDirectory() throws Exception {
        reports.start("pull-1", "test", TestItems.NOW);
        deliver("pull-1", "services:1", page(TestItems.service("dora--a", "dora--s")));
        reports.start("pull-2", "test", TestItems.NOW);
        ObjectNode broken = TestItems.service("dora--a", "dora--s");
        broken.putArray("publics").add("tous-publics").add("jeunes");
        DeliveryResult r = deliver("pull-2", "services:1", page(broken));
        assertTrue(r.detail(), r.detail().contains("1 rejected (1 removed)"));
        assertEquals(0, store.count(Kind.SERVICE));
    }

    @Test
    public void theEndOfAPullRemovesWhatDataInclusionNoLongerHas() throws Exception {
        reports.start("pull-1", "test", TestItems.NOW);
        deliver("pull-1", "structures:1", page(TestItems.structure("dora--s"), TestItems.structure("dora--gone")));
        deliver("pull-1", "services:1", page(TestItems.service("dora--a", "dora--s"),
                TestItems.service("dora--b", "dora--gone")));
        DeliveryResult r = deliver("pull-1", "end", end("pull-1", List.of("dora--s"), List.of("dora--a", "dora--rejected")));
        assertTrue(r.detail(), r.detail().startsWith("end of pull-1: 1 structures and 1 services no longer in "
                + "data·inclusion removed; directory: 1 structures, 1 services"));
        assertEquals("COMPLETED", reports.snapshot("pull-1").get("status"));
        assertEquals(1, store.count(Kind.STRUCTURE));
        assertEquals(1, counts("pull-1", Kind.SERVICE).get("removed"));
    }

    @Test
    public void whatThePollerDoesNotHandOverIsRefusedForGood() throws Exception {
        DeliveryFailures.permanent(() -> handler.deliver(TestDelivery.json("dora", "directory", "x", "{}")));
        DeliveryFailures.permanent(() -> deliver("pull-1", "services:1", Json.MAPPER.createObjectNode()));
        DeliveryFailures.permanent(() -> deliver("pull-1", "other:1", page()));
        DeliveryFailures.permanent(() -> deliver("pull-1", "end", Json.MAPPER.createObjectNode()));
        DeliveryFailures.permanent(() -> handler.deliver(new TestDelivery("y", "pull-1", "dora", "directory",
                "application/json", "pull-1:services:1", null, null, 1, "{not json".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    public void aDatabaseFailureIsRetried() throws Exception {
        javax.sql.DataSource down = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (p, m, a) -> {
                    throw new java.sql.SQLException("database down", "08001");
                });
        MutableClock clock = new MutableClock(TestItems.NOW);
        handler = new DirectoryHandler(TestItems.V1, new DirectoryStore(new fr.aisne.hub.api.Jdbc(down), clock), reports,
                clock);
        reports.start("pull-1", "test", TestItems.NOW);
        DeliveryFailure f = DeliveryFailures.temporary(() -> deliver("pull-1", "services:1",
                page(TestItems.service("dora--a", "dora--s"))));
        assertTrue(f.getMessage(), f.getMessage().startsWith("directory tables not written"));
    }

    @Test
    public void aPageOfARunUnknownAfterARestartIsCountedAll() throws Exception {
        deliver("pull-9", "structures:1", page(TestItems.structure("dora--s")));
        assertEquals("(before a restart)", reports.snapshot("pull-9").get("trigger"));
        assertEquals(1, counts("pull-9", Kind.STRUCTURE).get("inserted"));
    }
}
