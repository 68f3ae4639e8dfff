package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * URSSAF AT/MP in the real distribution (Karaf, Artemis, Derby, the hub's listener): conventions made at the Immersion
 * Facilitée double (port 18484, no generated fixture, so every hour is known) reach the hub by webhook; the URSSAF
 * connector computes, closes and declares months to the payroll double (SOAP through CXF, port 18787). In name order,
 * one container:
 * <ol>
 * <li>(a) September 2026 closed: delivered to the double, acknowledged, the double's deposit (hours, amount, digest of
 * the CSV evidence, number of conventions) matches the hub's month and evidence;</li>
 * <li>(b) a September convention cancelled after closing: October carries an adjustment line naming 2026-09 and the
 * convention, September unchanged, the double accepts October with it;</li>
 * <li>(c) November declared with a CTP code the payroll service does not know: QUARANTINED with the double's reason
 * (CTP_INCONNU, the field), the month shows it; the CTP corrected in the settings, the exchange replayed: DELIVERED,
 * the month DECLARED;</li>
 * <li>(d) an accident declared: its deadline (48 h, Sundays and holidays not counted); overdue, the connector is DOWN
 * in health with the reason; transmitted, UP again.</li>
 * </ol>
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class UrssafIT extends HubTestSupport {
    static final int IF_PORT = Ports.of(18484);
    static final int PAYROLL_PORT = Ports.of(18787);
    static final String URSSAF_CFG = "etc/hub.connector.urssaf.cfg";
    static final String API = "/hub/api/urssaf";
    /** The Immersion Facilitée double's aisne-hub key with its default jwt.secret (routes/immersion-facilitee/README.md). */
    static final String KEY = ImmersionKey.KEY;
    static final Map<String, String> MADE = new LinkedHashMap<>();

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(List.of(hubDistribution()));
        String imCfg = "etc/hub.connector.immersionfacilitee.cfg";
        options.add(editConfigurationFilePut("etc/hub.double.immersionfacilitee.cfg", "http.port", Integer.toString(IF_PORT)));
        options.add(editConfigurationFilePut("etc/hub.double.immersionfacilitee.cfg", "fixtures.generated", "0"));
        options.add(editConfigurationFilePut(imCfg, "api.url", "http://127.0.0.1:" + IF_PORT + "/api"));
        options.add(editConfigurationFilePut(imCfg, "api.key", KEY));
        options.add(editConfigurationFilePut(imCfg, "reconcile.recentSeconds", "15"));
        options.add(editConfigurationFilePut(imCfg, "retry.initialDelayMs", "500"));
        options.add(editConfigurationFilePut(imCfg, "retry.maxDelayMs", "3000"));
        options.add(editConfigurationFilePut("etc/hub.double.urssaf.cfg", "http.port", Integer.toString(PAYROLL_PORT)));
        options.add(editConfigurationFilePut(URSSAF_CFG, "payroll.url", "http://127.0.0.1:" + PAYROLL_PORT + "/paie/atmp/v1"));
        options.add(editConfigurationFilePut(URSSAF_CFG, "payroll.password", "double-paie-change-me"));
        options.add(editConfigurationFilePut(URSSAF_CFG, "declarant.siret", "22020002600015"));
        options.add(editConfigurationFilePut(URSSAF_CFG, "retry.initialDelayMs", "500"));
        options.add(editConfigurationFilePut(URSSAF_CFG, "retry.maxDelayMs", "3000"));
        return OptionUtils.combine(options.toArray(new Option[0]));
    }

    HubHttp im() {
        return new HubHttp("http://127.0.0.1:" + IF_PORT, "", "");
    }

    HubHttp payroll() {
        return new HubHttp("http://127.0.0.1:" + PAYROLL_PORT, "hub-aisne", "double-paie-change-me");
    }

    /** A validated cd02 convention at the double, Monday to Friday; its id once the hub keeps it validated. */
    String convention(String name, String start, String end, String hours) {
        String body = "{\"agency\":\"cd02\",\"status\":\"ACCEPTED_BY_VALIDATOR\",\"dateStart\":\"" + start + "\",\"dateEnd\":\""
                + end + "\",\"hours\":" + hours + ",\"weekdays\":[1,2,3,4,5],\"employee\":false,"
                + "\"siret\":\"99902000300012\",\"businessName\":\"Boulangerie de la Gare\"}";
        HubHttp.Response r = im().post("/double/control/conventions", body);
        assertEquals(r.body(), 201, r.status());
        String id = HubHttp.field(r.body(), "id");
        MADE.put(name, id);
        HubHttp.await(name + " kept validated by the hub", Duration.ofSeconds(90), () -> {
            HubHttp.Response c = http().get("/hub/api/immersion-facilitee/conventions/" + id);
            return c.status() == 200 && c.body().contains("ACCEPTED_BY_VALIDATOR");
        });
        return id;
    }

    static BigDecimal number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?[0-9.]+)").matcher(json);
        assertTrue(field + " in " + json, m.find());
        return new BigDecimal(m.group(1));
    }

    static String soapConsult(String month) {
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<d:consulterDepot xmlns:d=\"urn:fr:aisne:hub:urssaf:atmp:v1\"><d:mois>" + month + "</d:mois>"
                + "</d:consulterDepot></soap:Body></soap:Envelope>";
    }

    static String xml(String body, String element) {
        Matcher m = Pattern.compile("<(?:\\w+:)?" + element + ">([^<]*)<").matcher(body);
        return m.find() ? m.group(1) : null;
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    String close(String month) {
        HubHttp.Response r = http().post(API + "/mois/" + month + "/cloture", "{}");
        assertEquals(r.body(), 200, r.status());
        return r.body();
    }

    String awaitDeclared(String month) {
        HubHttp.await(month + " DECLARE", Duration.ofSeconds(60),
                () -> http().get(API + "/mois/" + month).body().contains("\"etat\":\"DECLARE\""));
        return http().get(API + "/mois/" + month).body();
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    @Test
    public void a_aClosedMonthIsDeclaredToThePayrollDoubleWithMatchingEvidence() throws Exception {
        installFeature("hub-double-immersion-facilitee");
        installFeature("hub-double-urssaf");
        installFeature("hub-connector-immersion-facilitee");
        installFeature("hub-connector-urssaf");
        HubHttp.await("urssaf connector installed", Duration.ofSeconds(60),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"urssaf\""));
        HubHttp.await("payroll double on " + PAYROLL_PORT, Duration.ofSeconds(30),
                () -> payroll().getAnonymous("/paie/atmp/v1?wsdl").status() == 200);
        HubHttp.await("the hub subscribed its webhook", Duration.ofSeconds(90), () -> http()
                .get("/hub/api/immersion-facilitee/subscription").body().contains("(convention.updated) calls"));

        // 28-30 Sept and 1-2 Oct, 7 h a day; 7-11 Sept, 6.5 h a day
        convention("across", "2026-09-28", "2026-10-02",
                "[{\"start\":\"09:00\",\"end\":\"12:00\"},{\"start\":\"13:00\",\"end\":\"17:00\"}]");
        convention("cancelled-later", "2026-09-07", "2026-09-11",
                "[{\"start\":\"09:00\",\"end\":\"12:00\"},{\"start\":\"13:30\",\"end\":\"17:00\"}]");

        String preview = http().get(API + "/mois/2026-09").body();
        assertTrue(preview, preview.contains("\"etat\":\"A_CLORE\""));
        assertEquals(0, new BigDecimal("53.5").compareTo(number(preview, "heures")));
        assertEquals(0, new BigDecimal("2.14").compareTo(number(preview, "montant")));

        close("2026-09");
        String sept = awaitDeclared("2026-09");
        assertTrue(sept, sept.contains("\"numeroDepot\":\"DEP-2026-09-"));

        HubHttp.Response depot = payroll().postRaw("/paie/atmp/v1", "text/xml; charset=UTF-8", soapConsult("2026-09"));
        assertEquals(depot.body(), 200, depot.status());
        assertEquals(0, new BigDecimal("53.50").compareTo(new BigDecimal(xml(depot.body(), "totalHeures"))));
        assertEquals(0, new BigDecimal("2.14").compareTo(new BigDecimal(xml(depot.body(), "totalMontant"))));
        assertEquals("2", xml(depot.body(), "nombreConventions"));
        HubHttp.Response csv = http().get(API + "/mois/2026-09/preuves.csv");
        assertEquals(200, csv.status());
        assertEquals("the double kept the hub's evidence", sha256(csv.body()), xml(depot.body(), "sha256Csv"));
        assertEquals(csv.body(), 1 + 3 + 5, csv.body().split("\r\n").length);
        assertTrue(csv.body(), csv.body().contains(";" + MADE.get("across") + ";") && csv.body().contains(";2026-09-30;7.00;999;0.04;"));
        assertTrue(csv.body(), csv.body().contains(";2026-09-11;6.50;999;0.04;"));
        // the handler records the declaration before the core journals the delivery
        HubHttp.await("the declaration journaled DELIVERED", Duration.ofSeconds(15),
                () -> http().get("/hub/api/messages?partner=urssaf").body().contains("\"state\":\"DELIVERED\""));
    }

    @Test
    public void b_aCancellationAfterClosingIsAnAdjustmentOfTheNextMonth() throws Exception {
        String id = MADE.get("cancelled-later");
        HubHttp.Response r = im().post("/double/control/conventions/" + id,
                "{\"action\":\"status\",\"status\":\"CANCELLED\",\"justification\":\"entreprise fermée\"}");
        assertEquals(r.body(), 200, r.status());
        HubHttp.await("the hub knows it cancelled", Duration.ofSeconds(90),
                () -> http().get("/hub/api/immersion-facilitee/conventions/" + id).body().contains("\"status\":\"CANCELLED\""));

        String oct = http().get(API + "/mois/2026-10").body();
        assertTrue(oct, oct.contains("\"type\":\"REGULARISATION\",\"moisOrigine\":\"2026-09\""));
        assertEquals(0, new BigDecimal("-32.5").compareTo(number(oct, "regularisationHeures")));
        assertEquals(0, new BigDecimal("-1.30").compareTo(number(oct, "regularisationMontant")));

        close("2026-10");
        String declared = awaitDeclared("2026-10");
        assertTrue(declared, declared.contains("\"convention\":\"" + id + "\"") || declared.contains(id));
        assertEquals(0, new BigDecimal("-0.74").compareTo(number(declared, "totalMontant")));
        // nothing declared is rewritten: September as declared
        String sept = http().get(API + "/mois/2026-09").body();
        assertEquals(0, new BigDecimal("53.5").compareTo(number(sept, "heures")));
        HubHttp.Response depot = payroll().postRaw("/paie/atmp/v1", "text/xml; charset=UTF-8", soapConsult("2026-10"));
        assertEquals("1", xml(depot.body(), "nombreRegularisations"));
        String json = http().get(API + "/mois/2026-10/preuves.json").body();
        assertTrue(json, json.contains("\"moisOrigine\" : \"2026-09\"") && json.contains("statut CANCELLED"));
    }

    @Test
    public void c_aRejectedDeclarationIsQuarantinedWithTheReasonAndReplayedOnceCorrected() throws Exception {
        convention("november", "2026-11-16", "2026-11-20",
                "[{\"start\":\"09:00\",\"end\":\"12:00\"},{\"start\":\"13:00\",\"end\":\"17:00\"}]");
        setTariffs("2022-01-01:0.04:998");
        close("2026-11");
        String exchange = HubHttp.field(http().get(API + "/mois/2026-11").body(), "echange");
        awaitState(exchange, "QUARANTINED", Duration.ofSeconds(60));
        String message = http().get("/hub/api/messages/" + exchange).body();
        assertTrue(message, message.contains("CTP_INCONNU") && message.contains("lignes/ligne[1]/ctp"));
        String nov = http().get(API + "/mois/2026-11").body();
        assertTrue(nov, nov.contains("\"etat\":\"CLOS\"") && nov.contains("CTP_INCONNU"));
        String health = http().get("/hub/health").body();
        assertTrue(health, health.contains("rejetée"));

        setTariffs("2022-01-01:0.04:999");
        HubHttp.await("replay accepted", Duration.ofSeconds(30),
                () -> http().post("/hub/api/messages/" + exchange + "/replay", "{}").status() == 200);
        awaitState(exchange, "DELIVERED", Duration.ofSeconds(60));
        String declared = awaitDeclared("2026-11");
        assertEquals(0, new BigDecimal("1.40").compareTo(number(declared, "totalMontant")));
        assertTrue(declared, declared.contains("\"ctp\":\"999\""));
    }

    @Test
    public void d_anAccidentHasItsDeadlineAndAnOverdueOneShowsInHealth() throws Exception {
        String id = MADE.get("november");
        // learned on Saturday 2026-11-21 at 10:00 (Paris): Saturday 14 h, Sunday skipped, Monday 24 h, Tuesday 10 h
        HubHttp.Response r = http().post("/hub/in/departement/accidents-pmsmp", "{\"convention\":\"" + id + "\","
                + "\"dateHeure\":\"2026-11-20T16:30\",\"lieu\":\"atelier\",\"circonstances\":\"chute d'un escabeau\","
                + "\"connuLe\":\"2026-11-21T10:00\"}");
        assertEquals(r.body(), 202, r.status());
        String exchange = HubHttp.field(r.body(), "exchangeId");
        awaitState(exchange, "DELIVERED", Duration.ofSeconds(30));
        String accidents = http().get(API + "/accidents").body();
        assertTrue(accidents, accidents.contains("\"echeance\":\"2026-11-24T10:00+01:00\""));
        assertTrue(accidents, accidents.contains("\"etat\":\"EN_RETARD\""));
        HubHttp.await("health shows the overdue declaration", Duration.ofSeconds(10),
                () -> http().get("/hub/health").body().contains("EN RETARD"));
        // a body without the place: refused with the field, quarantined
        HubHttp.Response bad = http().post("/hub/in/departement/accidents-pmsmp", "{\"convention\":\"" + id + "\","
                + "\"dateHeure\":\"2026-11-20T16:30\",\"circonstances\":\"x\"}");
        assertEquals(422, bad.status());
        assertTrue(bad.body(), bad.body().contains("lieu"));

        assertEquals(200, http().post(API + "/accidents/" + exchange + "/transmise", "{}").status());
        HubHttp.await("health no longer shows it", Duration.ofSeconds(10),
                () -> !http().get("/hub/health").body().contains("EN RETARD"));
        assertFalse(http().get(API + "/accidents").body().contains("EN_RETARD"));
    }

    void setTariffs(String tariffs) throws Exception {
        org.osgi.service.cm.Configuration cfg = configAdmin.getConfiguration("hub.connector.urssaf", null);
        Dictionary<String, Object> props = cfg.getProperties();
        props.put("tariffs", tariffs);
        cfg.update(props);
        HubHttp.await("urssaf connector rebuilt with " + tariffs, Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"tariffs\":\"" + tariffs + "\""));
    }
}
