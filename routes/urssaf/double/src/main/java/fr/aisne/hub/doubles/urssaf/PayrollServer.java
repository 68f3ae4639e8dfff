package fr.aisne.hub.doubles.urssaf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.xml.namespace.QName;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.cxf.common.CxfPayload;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.cxf.Bus;
import org.apache.cxf.binding.soap.Soap11;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.bus.CXFBusFactory;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The payroll service's SOAP endpoint: port {@code AtmpDeclarationPort} of {@code AtmpDeclarationService}
 * (atmp-declaration-v1.wsdl) at {@code http://host:port/paie/atmp/v1}, served by camel-cxf-soap in PAYLOAD mode,
 * contract first (no generated class), in the double's own CamelContext and CXF bus. A RECEIVE-phase interceptor checks
 * HTTP Basic (401) and the simulated outage (503) before anything is read; the route validates the request against the
 * schema itself (so a non-conforming one gets the contract's rejet SCHEMA_INVALIDE naming the element), then
 * {@link Payroll} checks and answers.
 */
final class PayrollServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PayrollServer.class);
    static final String PATH = "/paie/atmp/v1";
    static final QName SERVICE = new QName(Contract.NS, "AtmpDeclarationService");
    static final QName PORT = new QName(Contract.NS, "AtmpDeclarationPort");

    private final DoubleSettings settings;
    private final Payroll payroll;
    private volatile Contract contract;
    private volatile Bus bus;
    private volatile DefaultCamelContext camel;

    PayrollServer(DoubleSettings settings, Clock clock) {
        this.settings = settings;
        this.payroll = new Payroll(settings, clock);
    }

    Payroll payroll() {
        return payroll;
    }

    String address() {
        return "http://" + settings.host() + ":" + settings.port() + PATH;
    }

    void start() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(DefaultCamelContext.class.getClassLoader());
        try {
            contract = Contract.load();
            bus = new CXFBusFactory().createBus();
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("double-urssaf");
            camel.setApplicationContextClassLoader(DefaultCamelContext.class.getClassLoader());
            CxfEndpoint endpoint = new CxfEndpoint();
            endpoint.setCamelContext(camel);
            endpoint.setBus(bus);
            endpoint.setAddress(address());
            endpoint.setWsdlURL(contract.wsdlUrl());
            endpoint.setServiceName(SERVICE.toString());
            endpoint.setPortName(PORT.toString());
            endpoint.setDataFormat(DataFormat.PAYLOAD);
            endpoint.setSkipFaultLogging(true);
            endpoint.setCxfConfigurer(new CxfConfigurer() {
                @Override
                public void configure(AbstractWSDLBasedEndpointFactory factory) {
                    factory.getInInterceptors().add(new Gate());
                }

                @Override
                public void configureClient(Client client) {
                }

                @Override
                public void configureServer(Server server) {
                }
            });
            camel.addEndpoint("urssafPayroll", endpoint);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    errorHandler(noErrorHandler());
                    from(endpoint).routeId("double-urssaf.soap").process(PayrollServer.this::process);
                }
            });
            camel.start();
        } catch (Exception e) {
            close();
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** HTTP Basic and the simulated outage, before CXF reads the message; GET (?wsdl, ?xsd=) needs no credentials. */
    final class Gate extends AbstractPhaseInterceptor<Message> {
        Gate() {
            super(Phase.RECEIVE);
        }

        @Override
        public void handleMessage(Message message) throws Fault {
            if ("GET".equals(message.get(Message.HTTP_REQUEST_METHOD))) {
                return;
            }
            if (settings.outage()) {
                Fault f = new Fault(new IllegalStateException("Service paie indisponible (panne simulée)"));
                f.setStatusCode(503);
                throw f;
            }
            if (!authenticated(message)) {
                LOG.info("URSSAF payroll double: call refused (credentials)");
                Fault f = new Fault(new SecurityException("Authentification requise"));
                f.setStatusCode(401);
                throw f;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private boolean authenticated(Message message) {
        Map<String, List<String>> headers = (Map<String, List<String>>) message.get(Message.PROTOCOL_HEADERS);
        if (headers == null) {
            return false;
        }
        String auth = null;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if ("Authorization".equalsIgnoreCase(h.getKey()) && h.getValue() != null && !h.getValue().isEmpty()) {
                auth = h.getValue().get(0);
            }
        }
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String expected = settings.accounts().get(decoded.substring(0, colon));
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    }

    private void process(Exchange exchange) {
        String operation = exchange.getIn().getHeader("operationName", String.class);
        try {
            CxfPayload<?> payload = exchange.getIn().getBody(CxfPayload.class);
            List<Element> body = payload == null ? List.of() : payload.getBody();
            if (body.isEmpty()) {
                throw new Rejet("SCHEMA_INVALIDE", "Body", "Corps SOAP vide");
            }
            Element request = body.get(0);
            contract.validate(request);
            Document doc = contract.newDocument();
            Element answer;
            if ("deposerDeclaration".equals(operation)) {
                Payroll.Depot d = payroll.deposer(request);
                answer = Payroll.accuse(doc, d);
                LOG.info("URSSAF payroll double: declaration {} accepted, deposit {} ({} EUR)", d.mois(), d.numero(),
                        d.totalMontant());
            } else if ("consulterDepot".equals(operation)) {
                answer = Payroll.depot(doc, payroll.consulter(request));
            } else {
                throw new Rejet("SCHEMA_INVALIDE", "Body", "Opération inconnue du port AtmpDeclaration");
            }
            doc.appendChild(answer);
            exchange.getMessage().setBody(new CxfPayload<>(null, List.<Source>of(new DOMSource(answer)), null));
        } catch (Rejet r) {
            payroll.rejections.incrementAndGet();
            LOG.info("URSSAF payroll double: {} rejected: {} ({})", operation, r.code, r.champ);
            exchange.setException(fault(r));
        } catch (RuntimeException e) {
            LOG.warn("URSSAF payroll double: {} failed ({})", operation, e.getClass().getSimpleName());
            exchange.setException(fault(new Rejet("INDISPONIBLE", "", "Erreur interne du double")));
        }
    }

    /** SOAP 1.1 fault: Client (Server for INDISPONIBLE), faultstring = message, detail = the contract's rejet. */
    static SoapFault fault(Rejet r) {
        boolean server = "INDISPONIBLE".equals(r.code);
        SoapFault fault = new SoapFault(r.getMessage(), server ? Soap11.getInstance().getReceiver()
                : Soap11.getInstance().getSender());
        Element detail = fault.getOrCreateDetail();
        Document doc = detail.getOwnerDocument();
        Element rejet = doc.createElementNS(Contract.NS, "rejet");
        Payroll.add(doc, rejet, "code", r.code);
        Payroll.add(doc, rejet, "champ", r.champ);
        Payroll.add(doc, rejet, "message", r.getMessage());
        detail.appendChild(rejet);
        return fault;
    }

    @Override
    public void close() {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(DefaultCamelContext.class.getClassLoader());
        try {
            if (camel != null) {
                camel.stop();
                camel = null;
            }
            if (bus != null) {
                bus.shutdown(true);
                bus = null;
            }
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
