package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Hashtable;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.PersonObservation;

/**
 * Minimisation on receipt: no emergency contact, e-mail or phone anywhere the hub keeps or writes (tables, journal
 * reasons, journaled payloads, events, log, registry); isRqth only in the registry, and only when a disclosure rule
 * names rqth; names and birth date only in the registry (matching). The secrets never in the log or a table in clear.
 */
public class MinimisationTest {
    private static final List<String> NEVER = List.of(PlatformConventions.EMERGENCY_NAME, PlatformConventions.EMERGENCY_PHONE,
            PlatformConventions.EMERGENCY_EMAIL, PlatformConventions.BENEFICIARY_EMAIL, PlatformConventions.BENEFICIARY_PHONE,
            "emergency", "tuteur@example.net", "patron@example.net");
    private static final List<String> REGISTRY_ONLY = List.of("Marie", "Durand", "1990-04-12", "isRqth");

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream err;
    private Harness h;
    private final WebhookIntakeTest.RecordingHttp http = new WebhookIntakeTest.RecordingHttp();

    @Before
    public void capture() throws Exception {
        err = System.err;
        System.setErr(new PrintStream(new TeeStream(err, log), true, StandardCharsets.UTF_8));
        h = new Harness("minimisation", http, "reconcile.windowDays", "30");
    }

    @After
    public void restore() {
        System.setErr(err);
        h.close();
    }

    /** A webhook call, the reconciliation, the subscription, the department's events: everything the connector does. */
    private List<String> runEverything() throws Exception {
        ObjectNode c = PlatformConventions.convention(PlatformConventions.newId(), LocalDate.now().minusDays(5),
                LocalDate.now().plusDays(5));
        c.putObject("assessment").put("status", "COMPLETED").put("endedWithAJob", true).put("createdAt", "2025-02-10T10:00:00Z");
        h.platform.put(c);
        ObjectNode dropped = PlatformConventions.convention(PlatformConventions.newId(), LocalDate.now().plusDays(10),
                LocalDate.now().plusDays(12));
        h.platform.put(dropped);
        h.runtime.subscriptions.ensure(false);
        ObjectNode call = Json.MAPPER.createObjectNode();
        call.putObject("payload").set("convention", c);
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setHeader("authorization", h.runtime.subscriptions.secret());
        e.getMessage().setBody(new ByteArrayInputStream(Json.write(call).getBytes(StandardCharsets.UTF_8)));
        h.runtime.webhookIntake.process(e);
        e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setHeader("authorization", "wrong");
        e.getMessage().setBody(new ByteArrayInputStream(Json.write(call).getBytes(StandardCharsets.UTF_8)));
        h.runtime.webhookIntake.process(e);
        h.drain();
        h.runtime.reconciliation.tick();
        h.drain();
        h.runtime.resolveMatches();
        assertEquals(2, h.runtime.store.counts().get("immersion-facilitee").intValue());
        return List.of(c.get("id").asText(), dropped.get("id").asText());
    }

    @Test
    public void noContactNoRqthAndNoIdentityLeaveTheRegistryPath() throws Exception {
        List<String> ids = runEverything();
        String tables = tables();
        String journal = String.join("\n", h.journal);
        StringBuilder payloads = new StringBuilder();
        h.ctx.accepted().forEach(a -> payloads.append(a.text()).append('\n'));
        String events = Json.write(h.registry.feed);
        String api = Json.write(h.runtime.store.overlapping(LocalDate.now().minusYears(1), LocalDate.now().plusYears(1)));
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue("the log was captured: " + logged, logged.contains("Immersion Facilitée"));
        String observations = Json.write(h.registry.observations.stream().map(o -> List.of(o.attributes(), o.identifiers())).toList());
        for (String planted : NEVER) {
            for (String[] where : new String[][] {{"tables", tables}, {"journal", journal}, {"payloads", payloads.toString()},
                {"events", events}, {"api", api}, {"log", logged}, {"registry", observations}}) {
                assertFalse(planted + " in " + where[0] + ": " + where[1], where[1].toLowerCase().contains(planted.toLowerCase()));
            }
        }
        for (String identity : REGISTRY_ONLY) {
            for (String[] where : new String[][] {{"tables", tables}, {"journal", journal}, {"payloads", payloads.toString()},
                {"events", events}, {"api", api}, {"log", logged}}) {
                assertFalse(identity + " in " + where[0] + ": " + where[1], where[1].contains(identity));
            }
        }
        assertTrue("the registry gets the identity", observations.contains("Durand"));
        for (PersonObservation o : h.registry.observations) {
            assertFalse("no rule names rqth: " + o.attributes(), o.attributes().containsKey("rqth"));
        }
        assertTrue(journal, journal.contains("rqth not kept (no disclosure rule names rqth)"));
        String secret = h.runtime.subscriptions.secret();
        for (String s : List.of(secret, FakePlatform.KEY)) {
            assertFalse("a secret in the log", logged.contains(s));
            assertFalse("a secret in the tables", tables.contains(s));
            assertFalse("a secret in the journal", journal.contains(s));
        }
        assertTrue(ids.size() == 2);
    }

    @Test
    public void isRqthIsRecordedMaskedOnlyWhenADisclosureRuleNamesIt() throws Exception {
        h.keepRqth = true;
        runEverything();
        PersonObservation first = h.registry.observations.get(0);
        assertEquals("oui", first.attribute("rqth"));
        String journal = String.join("\n", h.journal);
        assertTrue(journal, journal.contains("rqth recorded (special category, masked)"));
        assertFalse(tables().contains("oui"));
        assertFalse(journal.contains("\"oui\""));
    }

    @Test
    public void theRuleIsReadFromTheRegistrysDisclosureRules() {
        Hashtable<String, Object> rules = new Hashtable<>();
        rules.put("disclose.departement.consultation", "attributes.*, id.caf.matricule");
        rules.put("disclose.france-travail.rqth", "id.france-travail.numero");
        assertFalse("a purpose named rqth is not the field", RqthRule.namesRqth(rules));
        rules.put("disclose.departement.atmp", "id.immersion-facilitee.convention, rqth");
        assertTrue(RqthRule.namesRqth(rules));
        assertFalse("no ConfigurationAdmin: never kept", RqthRule.fromDisclosureRules(() -> null).keep());
    }

    /** Every value of every column of the connector's tables, as text. */
    private String tables() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = h.db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : List.of("if_convention", "if_day", "if_status", "if_change", "if_seen", "if_state")) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + t)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            sb.append(rs.getString(i)).append('|');
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Writes to the real stderr and to a buffer. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
