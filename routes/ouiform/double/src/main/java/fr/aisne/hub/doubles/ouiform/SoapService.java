package fr.aisne.hub.doubles.ouiform;

import java.util.List;

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
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.doubles.ouiform.Http.Answer;

/**
 * The Région's SOAP side: port {@code OuiFormPrescriptionsPort} of service {@code OuiFormService} in
 * ouiform-v1.wsdl, served by camel-cxf-soap in PAYLOAD mode, contract first (the WSDL is the bundle's copy; no
 * generated or annotated class, so no JAXB context to build inside OSGi). The route gets the body element of each
 * request as DOM, {@link Region} checks it against the contract's schema itself (so that a non-conforming message is
 * answered with the contract's fault REQUETE_INVALIDE and its detail, not CXF's generic one), and answers with the
 * response element or a SOAP fault whose detail is the contract's {@code erreur}.
 * <p>
 * A CXF interceptor in the RECEIVE phase applies the injected latency and outage and checks the credentials before
 * anything is read (answering 401 or the outage status without a SOAP envelope, as a front proxy would). GET
 * requests ({@code ?wsdl}, {@code ?xsd=}) need no credentials.
 */
final class SoapService {
    private static final Logger LOG = LoggerFactory.getLogger(SoapService.class);
    static final String PATH = "/ouiform/soap/v1";
    static final String ROUTE_ID = "double-ouiform.soap";
    static final QName SERVICE = new QName(Contract.NS, "OuiFormService");
    static final QName PORT = new QName(Contract.NS, "OuiFormPrescriptionsPort");

    private final Region region;

    SoapService(Region region) {
        this.region = region;
    }

    /** The CXF endpoint at {@code address}, PAYLOAD mode, on {@code bus}. */
    CxfEndpoint endpoint(DefaultCamelContext camel, Bus bus, String address) {
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setCamelContext(camel);
        endpoint.setBus(bus);
        endpoint.setAddress(address);
        endpoint.setWsdlURL(region.contract().wsdlUrl());
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
                // server only
            }

            @Override
            public void configureServer(Server server) {
                // the interceptor is added through the factory
            }
        });
        return endpoint;
    }

    RouteBuilder routes(CxfEndpoint endpoint) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // exceptions go back to CXF as they are (a SoapFault is the answer), nothing logged by Camel
                errorHandler(noErrorHandler());
                from(endpoint).routeId(ROUTE_ID).process(SoapService.this::process);
            }
        };
    }

    /** The credentials, latency and outage check, before CXF reads the message. */
    final class Gate extends AbstractPhaseInterceptor<Message> {
        Gate() {
            super(Phase.RECEIVE);
        }

        @Override
        public void handleMessage(Message message) throws Fault {
            Http.Call call = CxfHttp.call(message, false);
            Answer refused = region.gate(call, true);
            if (refused != null) {
                region.stats().answered("SOAP " + call.method() + " (refused before reading)", refused.status(), true);
                CxfHttp.send(message.getExchange().getDestination(), message, refused);
                message.getInterceptorChain().abort();
            }
        }
    }

    private void process(Exchange exchange) {
        long start = System.nanoTime();
        String operation = exchange.getIn().getHeader("operationName", String.class);
        String endpoint = "SOAP " + (operation == null ? "(unknown operation)" : operation);
        try {
            CodeErreur injected = region.takeFault();
            if (injected != null) {
                throw new Refus(injected, "Erreur injectée par le double (" + injected.name() + ")");
            }
            CxfPayload<?> payload = exchange.getIn().getBody(CxfPayload.class);
            List<Element> body = payload == null ? List.of() : payload.getBody();
            if (body.isEmpty()) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Corps SOAP vide");
            }
            Element request = body.get(0);
            Document doc = region.contract().newDocument();
            Element answer;
            if ("soumettrePrescription".equals(operation)) {
                ObjectNode etat = region.soumettre(request, Canal.SOAP);
                answer = Shapes.toXml(doc, "soumettrePrescriptionReponse", Shapes.ETAT, etat);
            } else if ("consulterPrescription".equals(operation)) {
                answer = Shapes.toXml(doc, "consulterPrescriptionReponse", Shapes.CONSULTATION, region.consulter(request));
            } else {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Opération inconnue du port OuiFormPrescriptions");
            }
            doc.appendChild(answer);
            region.contract().validate(answer);
            exchange.getMessage().setBody(new CxfPayload<>(null, List.<Source>of(new DOMSource(answer)), null));
            region.stats().answered(endpoint, 200, true);
        } catch (Refus r) {
            region.stats().code(r.code);
            region.stats().answered(endpoint, 500, true);
            exchange.setException(fault(r));
        } catch (RuntimeException e) {
            LOG.warn("OuiForm double: {} failed ({})", endpoint, e.getClass().getSimpleName());
            region.stats().answered(endpoint, 500, true);
            exchange.setException(fault(new Refus(CodeErreur.ERREUR_INTERNE, "Erreur interne du double")));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("OuiForm double: {} -> {} ({} ms)", endpoint, exchange.getException() == null ? 200 : 500,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The SOAP 1.1 fault of a refusal: Client or Server, faultstring = message, detail = the contract's erreur. */
    SoapFault fault(Refus r) {
        SoapFault fault = new SoapFault(r.getMessage(),
                r.code.client ? Soap11.getInstance().getSender() : Soap11.getInstance().getReceiver());
        Element detail = fault.getOrCreateDetail();
        ObjectNode json = Http.MAPPER.createObjectNode();
        json.put("code", r.code.name());
        json.put("message", r.getMessage());
        if (r.idPrescriptionOuiForm != null) {
            json.put("idPrescriptionOuiForm", r.idPrescriptionOuiForm);
        }
        if (!r.champs.isEmpty()) {
            r.champs.forEach(json.withArray("champs")::add);
        }
        detail.appendChild(Shapes.toXml(detail.getOwnerDocument(), "erreur", Shapes.ERREUR, json));
        return fault;
    }
}
