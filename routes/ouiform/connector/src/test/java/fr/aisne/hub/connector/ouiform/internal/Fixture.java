package fr.aisne.hub.connector.ouiform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import java.time.Clock;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.connector.ouiform.testing.FakeEvents;
import fr.aisne.hub.connector.ouiform.testing.FakeRegistry;
import fr.aisne.hub.connector.ouiform.testing.StubOuiForm;
import fr.aisne.hub.connector.ouiform.testing.TestHttp;

/**
 * The connector assembled as the hub assembles it ({@link OuiFormRuntime}), on the API's test kit: a real embedded
 * Derby for its tables, the test context recording flows, routes and intake calls, an in-memory registry and event
 * feed, and a scripted OuiForm.
 */
final class Fixture implements AutoCloseable {
    static final String PASSWORD = "stub-secret-17";
    static final String SIRET = "22020000000019";
    /** The rule the README proposes for disclose.ouiform.prescription (plus e-mail, to see it is not sent). */
    static final String[] RULE = {"nom_naissance", "nom_usage", "prenom", "date_naissance", "commune_insee",
        "commune_code_postal", "commune_libelle", "id.france-travail.numero", "email"};

    final Path dir;
    final TestDatabase db;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    final TestConnectorContext ctx;
    final FakeRegistry registry = new FakeRegistry().rule("ouiform", "prescription", RULE);
    final FakeEvents events = new FakeEvents();
    final StubOuiForm ouiform;
    final TestHttp http = new TestHttp();
    final int soapPort = TestHttp.freePort();
    final OuiFormRuntime runtime;

    Fixture(String... settings) throws IOException {
        dir = Files.createDirectories(Paths.get("target", "fixtures", UUID.randomUUID().toString()));
        System.setProperty("karaf.data", dir.toAbsolutePath().toString());
        db = TestDatabase.embeddedDerby(dir.resolve("db").toString());
        ctx = new TestConnectorContext("ouiform", db.database(), clock);
        ouiform = new StubOuiForm();
        Map<String, Object> config = TestConnectorContext.settings("ouiform.soap.url", ouiform.url("/ouiform/soap/v1"),
                "ouiform.rest.url", ouiform.url("/ouiform/api"), "ouiform.password", PASSWORD, "prescripteur.siret", SIRET,
                "retry.maxAttempts", "3", "soap.port", Integer.toString(soapPort));
        for (int i = 0; i + 1 < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        runtime = new OuiFormRuntime(config, withHttp(ctx, http), registry, () -> events);
    }

    /** The kit's context, with the hub's HTTP security of {@link TestHttp} (real accounts, a real port). */
    static ConnectorContext withHttp(TestConnectorContext ctx, HttpSecurity http) {
        return new ConnectorContext() {
            @Override
            public String connectorId() {
                return ctx.connectorId();
            }

            @Override
            public Flow flow(Flow flow) {
                return ctx.flow(flow);
            }

            @Override
            public void routes(RoutesBuilder routes) {
                ctx.routes(routes);
            }

            @Override
            public void describeApi(String openApiJson) {
                ctx.describeApi(openApiJson);
            }

            @Override
            public Intake intake() {
                return ctx.intake();
            }

            @Override
            public ModuleDatabase database() {
                return ctx.database();
            }

            @Override
            public PartnerGuard partnerGuard(String partner, PartnerLimits limits) {
                return ctx.partnerGuard(partner, limits);
            }

            @Override
            public HttpSecurity http() {
                return http;
            }

            @Override
            public Secrets secrets() {
                return ctx.secrets();
            }

            @Override
            public Clock clock() {
                return ctx.clock();
            }
        };
    }

    /**
     * A fixture where a person of the CAF flux has been prescribed a session (HUB-2026-000001, registered by OuiForm as
     * OF-2026-000123) and the connector's own routes are started: what the endpoint tests start from.
     */
    static Fixture withOnePrescription(String exchangeId) throws Exception {
        Fixture f = new Fixture();
        f.person = f.camille();
        f.ouiform.then(StubOuiForm.Answer.of(200, "text/xml", soapAnswer("soumettrePrescription.reponse.xml")));
        f.prescribe(exchangeId, request(f.person, "02_SE_0000101_1"));
        f.startRoutes();
        return f;
    }

    /** The person of {@link #withOnePrescription}. */
    String person;

    /** Forgets what the intake was given; it answers QUEUED again. */
    void reset() {
        ctx.clear();
        ctx.answer(a -> fr.aisne.hub.api.IngestResult.Outcome.QUEUED);
    }

    /** A Camel context with the connector's own routes (SOAP endpoint, REST, department API), started. */
    DefaultCamelContext startRoutes() throws Exception {
        runtime.declare();
        DefaultCamelContext camel = new DefaultCamelContext();
        for (RoutesBuilder b : ctx.routeBuilders()) {
            if (!(b instanceof RouteBuilder rb) || !rb.getClass().getName().contains("OuiFormRuntime")) {
                camel.addRoutes(b); // the inbox route is left out: no file polling in these tests
            }
        }
        camel.start();
        this.camel = camel;
        return camel;
    }

    private DefaultCamelContext camel;

    /** A person of the CAF flux as the registry holds it: identity, commune, France Travail number, NIR. */
    String camille() {
        return registry.person(Map.of("nom_naissance", "DUPONT", "nom_usage", "BERNARD", "prenom", "Camille",
                "date_naissance", "1990-02-14", "email", "camille.dupont@example.org", "telephone", "0612345678",
                "commune_insee", "02408", "commune_code_postal", "02000", "commune_libelle", "Laon"),
                Map.of("france-travail:numero", "12345678901"), "2900202408123");
    }

    static String request(String personId, String idSession) {
        return "{\"personId\":\"" + personId + "\",\"idSession\":\"" + idSession + "\",\"idAction\":\"02_AC_0000101\","
                + "\"datePrescription\":\"2026-12-07\",\"referent\":{\"nom\":\"MARTIN\",\"prenom\":\"Claire\","
                + "\"courriel\":\"claire.martin@aisne.example\",\"telephone\":\"03 23 00 00 42\"}}";
    }

    static TestDelivery delivery(Flow flow, String exchangeId, String json, String messageId) {
        return new TestDelivery(exchangeId, "corr-" + exchangeId.substring(0, 8), flow.partner(), flow.name(),
                "application/json", messageId, null, "test", 1, json.getBytes(StandardCharsets.UTF_8));
    }

    DeliveryResult prescribe(String exchangeId, String json) throws DeliveryFailure {
        return runtime.prescriptionFlow.deliveryHandler().deliver(delivery(runtime.prescriptionFlow, exchangeId, json, null));
    }

    static String soapAnswer(String example) throws IOException {
        return new String(fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.exampleBytes("soap/" + example),
                StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (camel != null) {
            camel.stop();
        }
        runtime.close();
        ouiform.close();
        db.close();
    }
}
