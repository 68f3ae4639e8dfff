package fr.aisne.hub.doubles.ouiform;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.cxf.Bus;
import org.apache.cxf.bus.CXFBusFactory;
import org.apache.cxf.transport.Destination;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything of the double on one port ({@code http.host:http.port}), all on CXF's HTTP transport (its Jetty 12
 * engine, in the runtime bundle):
 * <ul>
 * <li>{@code /ouiform/soap/v1}: the SOAP endpoint, a camel-cxf-soap consumer in the double's own CamelContext
 * ({@link SoapService}); {@code ?wsdl} and {@code ?xsd=} served by CXF;</li>
 * <li>{@code /ouiform/api/v1/...}: the REST side ({@link RestApi});</li>
 * <li>{@code /double/...}: the control API ({@link ControlApi}).</li>
 * </ul>
 * The CamelContext, the CXF bus and the threads are created with the runtime bundle's class loader as thread
 * context class loader (Camel and CXF find their extensions through it). Started and stopped by
 * {@link OuiFormDouble} in Karaf, directly by the tests.
 */
final class OuiFormServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OuiFormServer.class);

    private final Settings settings;
    private final Clock clock;
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private volatile Contract contract;
    private volatile Region region;
    private volatile Bus bus;
    private volatile DefaultCamelContext camel;
    private volatile Destination rest;
    private volatile Destination control;
    private volatile ScheduledExecutorService scheduler;

    OuiFormServer(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    String baseUrl() {
        return "http://" + settings.host() + ":" + settings.port();
    }

    Region region() {
        return region;
    }

    void start() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            contract = Contract.load();
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "double-ouiform-events");
                t.setDaemon(true);
                t.setContextClassLoader(runtime);
                return t;
            });
            region = new Region(settings, contract, clock, scheduler);
            bus = new CXFBusFactory().createBus();
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("double-ouiform");
            camel.setApplicationContextClassLoader(runtime);
            SoapService soap = new SoapService(region);
            CxfEndpoint endpoint = soap.endpoint(camel, bus, baseUrl() + SoapService.PATH);
            camel.addEndpoint("ouiformSoap", endpoint);
            camel.addRoutes(soap.routes(endpoint));
            camel.start();
            openHttp();
        } catch (Exception e) {
            close();
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void openHttp() throws java.io.IOException {
        RestApi restApi = new RestApi(region);
        ControlApi controlApi = new ControlApi(region, this::disconnect);
        rest = CxfHttp.open(bus, baseUrl() + RestApi.BASE + "/v1", restApi::handle);
        control = CxfHttp.open(bus, baseUrl() + ControlApi.BASE, controlApi::handle);
    }

    private void closeHttp() {
        for (Destination d : new Destination[] {rest, control}) {
            if (d != null) {
                try {
                    d.setMessageObserver(null);
                    d.shutdown();
                } catch (RuntimeException e) {
                    LOG.debug("OuiForm double: closing a listener ({})", e.toString());
                }
            }
        }
        rest = null;
        control = null;
    }

    /**
     * Closes the port 200 ms from now (connection refused: the SOAP route is stopped, the REST and control listeners
     * closed, CXF's Jetty engine for the port destroyed), for {@code millis}, then opens it again; false when already
     * disconnected or stopped.
     */
    boolean disconnect(long millis) {
        DefaultCamelContext context = camel;
        if (context == null || !disconnected.compareAndSet(false, true)) {
            return false;
        }
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(200);
                // graceful: a stop forced after a timeout interrupts Jetty's own stop half-way, and the route then
                // starts again with its port still closed (seen in CI); the requests in flight are finished first
                context.getRouteController().stopRoute(SoapService.ROUTE_ID);
                closeHttp();
                JettyHTTPServerEngineFactory.destroyForPort(settings.port());
                LOG.info("OuiForm double: port {} closed for {} ms", settings.port(), millis);
                Thread.sleep(millis);
                if (camel == context) {
                    context.getRouteController().startRoute(SoapService.ROUTE_ID);
                    openHttp();
                    LOG.info("OuiForm double: port {} open again", settings.port());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("OuiForm double: could not close or reopen the port ({})", e.toString());
            } finally {
                disconnected.set(false);
            }
        }, "double-ouiform-disconnect");
        t.setDaemon(true);
        t.setContextClassLoader(runtime);
        t.start();
        return true;
    }

    @Override
    public void close() {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(DefaultCamelContext.class.getClassLoader());
        try {
            if (scheduler != null) {
                scheduler.shutdownNow();
                try {
                    scheduler.awaitTermination(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                scheduler = null;
            }
            closeHttp();
            if (camel != null) {
                camel.stop();
                camel = null;
            }
            if (bus != null) {
                bus.shutdown(true);
                bus = null;
            }
            // CXF keeps one Jetty engine per port for the whole JVM: destroy ours so that the port is free again
            JettyHTTPServerEngineFactory.destroyForPort(settings.port());
            if (contract != null) {
                contract.close();
                contract = null;
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
