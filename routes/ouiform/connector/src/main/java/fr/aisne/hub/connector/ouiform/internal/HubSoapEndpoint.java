package fr.aisne.hub.connector.ouiform.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.cxf.common.CxfPayload;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.cxf.Bus;
import org.apache.cxf.binding.soap.Soap11;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.bus.CXFBusFactory;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.ExchangeImpl;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageImpl;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.staxutils.StaxUtils;
import org.apache.cxf.transport.Conduit;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.connector.ouiform.contract.CodeErreur;
import fr.aisne.hub.connector.ouiform.contract.Contract;
import fr.aisne.hub.connector.ouiform.contract.ContractXml;
import fr.aisne.hub.connector.ouiform.contract.Messages;
import fr.aisne.hub.connector.ouiform.contract.Refus;

/**
 * The hub's SOAP endpoint: port {@code HubOuiFormPort} of service {@code HubOuiFormService} (ouiform-v1.wsdl),
 * {@code publierSessions} and {@code notifierStatut}, served by Apache CXF (camel-cxf-soap, PAYLOAD mode, contract
 * first: no generated class) on a port of its own on loopback ({@code soap.host}, {@code soap.port}; a TLS proxy
 * fronts it in production, as the hub's HTTP listener). CXF's HTTP transport is its own Jetty engine, which cannot
 * share the hub's listener (docs/PLATFORM-NOTES.md); {@code ?wsdl} and {@code ?xsd=} are served by CXF with the
 * endpoint's address.
 * <p>
 * A CXF interceptor in the RECEIVE phase checks the Région's account against the hub's accounts
 * ({@link HttpSecurity#authorize}, role {@code region.roles}: refusals counted and throttled as everywhere) and the
 * declared size before anything is read; a refused call is answered 401/403/429/413 without an envelope. The body is
 * then streamed (CXF's {@code allowStreaming}): a publication's LHEO document is copied to a spool file as it arrives,
 * never held in memory. Refusals are SOAP 1.1 faults whose detail is the contract's {@code erreur}.
 */
final class HubSoapEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(HubSoapEndpoint.class);
    static final String PATH = "/ouiform/soap/v1";
    static final String ROUTE_ID = "ouiform.soap";
    static final String SERVICE = "{" + Contract.NS + "}HubOuiFormService";
    static final String PORT = "{" + Contract.NS + "}HubOuiFormPort";
    /** The CXF message property that carries the authenticated caller to the route. */
    static final String CALLER = "fr.aisne.hub.ouiform.caller";
    private static final Pattern IDENTIFIANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,63}");

    private final OuiFormSettings settings;
    private final Contract contract;
    private final RegionSide side;
    private final HttpSecurity http;
    /** Created with the routes (the CXF bus and its port are only wanted once the routes are). */
    private volatile Bus bus;

    HubSoapEndpoint(OuiFormSettings settings, Contract contract, RegionSide side, HttpSecurity http) {
        this.settings = settings;
        this.contract = contract;
        this.side = side;
        this.http = http;
    }

    private synchronized Bus bus() {
        if (bus == null) {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(CxfEndpoint.class.getClassLoader());
            try {
                bus = new CXFBusFactory().createBus();
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
        return bus;
    }

    RouteBuilder routes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // a SoapFault set on the exchange is the answer: nothing for Camel to handle or log
                errorHandler(noErrorHandler());
                from(cxfEndpoint(getContext())).routeId(ROUTE_ID).process(HubSoapEndpoint.this::process);
            }
        };
    }

    private CxfEndpoint cxfEndpoint(CamelContext camel) {
        this.camel = camel;
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setCamelContext(camel);
        endpoint.setBus(bus());
        endpoint.setAddress(settings.soapAddress());
        endpoint.setWsdlURL(contract.wsdlUrl());
        endpoint.setServiceName(SERVICE);
        endpoint.setPortName(PORT);
        endpoint.setDataFormat(DataFormat.PAYLOAD);
        endpoint.setAllowStreaming(true);
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
                // the gate is added through the factory
            }
        });
        return endpoint;
    }

    /** Frees the port: CXF keeps one Jetty engine per port for the whole JVM. */
    synchronized void close() {
        if (bus == null) {
            return;
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(CxfEndpoint.class.getClassLoader());
        try {
            bus.shutdown(true);
            bus = null;
            JettyHTTPServerEngineFactory.destroyForPort(settings.soapPort());
        } catch (RuntimeException e) {
            LOG.warn("OuiForm SOAP endpoint: port {} not freed cleanly ({})", settings.soapPort(), e.toString());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    // ---------------------------------------------------------------------------------------------- before reading

    /** Credentials and size, before CXF reads anything; the body then read through a bounded stream. */
    final class Gate extends AbstractPhaseInterceptor<Message> {
        Gate() {
            super(Phase.RECEIVE);
        }

        @Override
        public void handleMessage(Message message) throws Fault {
            if (!"POST".equals(message.get(Message.HTTP_REQUEST_METHOD))) {
                return; // ?wsdl and ?xsd= are public (the contract says so)
            }
            Map<String, List<String>> headers = headers(message);
            Exchange probe = new DefaultExchange(camel);
            first(headers, "Authorization").ifPresent(a -> probe.getMessage().setHeader("Authorization", a));
            Object request = message.get("HTTP.REQUEST");
            if (request != null) {
                probe.getMessage().setHeader(Exchange.HTTP_SERVLET_REQUEST, request); // the throttle counts by address
            }
            Optional<Caller> caller = http.authorize(probe, java.util.Set.of(settings.regionRoles()));
            if (caller.isEmpty()) {
                int status = probe.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 401, Integer.class);
                Map<String, String> out = new TreeMap<>();
                copy(probe, "WWW-Authenticate", out);
                copy(probe, "Retry-After", out);
                answer(message, status, out);
                return;
            }
            long declared = first(headers, "Content-Length").filter(v -> v.matches("[0-9]{1,18}")).map(Long::parseLong)
                    .orElse(-1L);
            if (declared > settings.catalogueMaxBytes()) {
                answer(message, 413, Map.of());
                return;
            }
            message.put(CALLER, caller.get().name());
            InputStream in = message.getContent(InputStream.class);
            if (in != null) {
                message.setContent(InputStream.class, new Bounded(in, settings.catalogueMaxBytes()));
            }
        }
    }

    /** The context the endpoint was created in (the credentials check builds its probe exchange there). */
    private volatile CamelContext camel;

    private static void copy(Exchange probe, String header, Map<String, String> out) {
        String v = probe.getMessage().getHeader(header, String.class);
        if (v != null) {
            out.put(header, v);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> headers(Message message) {
        Object h = message.get(Message.PROTOCOL_HEADERS);
        return h instanceof Map<?, ?> m ? (Map<String, List<String>>) m : Map.of();
    }

    private static Optional<String> first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).filter(v -> v != null && !v.isEmpty() && v.get(0) != null)
                .map(v -> v.get(0)).findFirst();
    }

    /** Answers {@code in} on its destination's back channel, without a SOAP envelope, and stops the chain. */
    private static void answer(Message in, int status, Map<String, String> headers) {
        try {
            org.apache.cxf.message.Exchange exchange = in.getExchange();
            if (exchange == null) {
                exchange = new ExchangeImpl();
                exchange.setInMessage(in);
                in.setExchange(exchange);
            }
            Message out = new MessageImpl();
            out.setExchange(exchange);
            exchange.setOutMessage(out);
            out.put(Message.RESPONSE_CODE, status);
            Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((k, v) -> h.put(k, List.of(v)));
            out.put(Message.PROTOCOL_HEADERS, h);
            Conduit back = exchange.getDestination().getBackChannel(in);
            back.prepare(out);
            try (OutputStream os = out.getContent(OutputStream.class)) {
                os.flush();
            }
        } catch (IOException e) {
            // the caller went away
        }
        in.getInterceptorChain().abort();
    }

    /** Refuses to read past {@code max} bytes (a chunked body without a declared length). */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private long read;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new IOException("SOAP request larger than " + max + " bytes");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- the operations

    private void process(Exchange exchange) {
        Message cxf = exchange.getIn().getHeader("CamelCxfMessage", Message.class);
        String caller = cxf == null ? null : (String) cxf.get(CALLER);
        if (caller == null) {
            exchange.setException(fault(new Refus(CodeErreur.NON_AUTHENTIFIE, "Identifiants absents ou refusés")));
            return;
        }
        try {
            CxfPayload<?> payload = exchange.getIn().getBody(CxfPayload.class);
            List<Source> body = payload == null ? List.of() : payload.getBodySources();
            if (body.isEmpty()) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Corps SOAP vide");
            }
            XMLStreamReader reader = StaxUtils.createXMLStreamReader(body.get(0));
            toStart(reader);
            String operation = reader.getLocalName();
            if (!Contract.NS.equals(reader.getNamespaceURI())) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Élément inconnu du contrat OuiForm v1");
            }
            Element answer = switch (operation) {
                case "notifierStatut" -> notifier(reader, caller);
                case "publierSessions" -> publier(reader, caller);
                default -> throw new Refus(CodeErreur.REQUETE_INVALIDE, "Opération inconnue du port HubOuiForm");
            };
            exchange.getMessage().setBody(new CxfPayload<>(null, List.<Source>of(new DOMSource(answer)), null));
        } catch (Refus r) {
            exchange.setException(fault(r));
        } catch (XMLStreamException | RuntimeException e) {
            LOG.warn("OuiForm SOAP call refused: {}", fr.aisne.hub.api.Redaction.describe(e));
            exchange.setException(fault(new Refus(CodeErreur.REQUETE_INVALIDE, "Message SOAP illisible")));
        }
    }

    private Element notifier(XMLStreamReader reader, String caller) throws Refus, XMLStreamException {
        Document doc = StaxUtils.read(new org.apache.cxf.staxutils.FragmentStreamReader(reader));
        Element request = doc.getDocumentElement();
        byte[] received = contract.serialize(request);
        try {
            contract.check(request);
        } catch (Refus r) {
            throw side.refusedStatut(received, null, caller, r);
        }
        Messages.EvenementStatut e = ContractXml.fromXml(request, Messages.EvenementStatut.class);
        Messages.NotifierStatutReponse reponse = side.notifier(e, caller);
        return answer("notifierStatutReponse", reponse);
    }

    /**
     * publierSessions: idPublication, dateExtraction and complet read from the stream, the LHEO document copied to a
     * spool file as it comes (constant memory), then checked and handed over by {@link RegionSide#publier}.
     */
    private Element publier(XMLStreamReader reader, String caller) throws Refus, XMLStreamException {
        String id = null;
        String extraction = null;
        String complet = null;
        Path spool = null;
        try {
            reader.nextTag();
            while (reader.isStartElement()) {
                String name = reader.getLocalName();
                if (Contract.NS.equals(reader.getNamespaceURI()) && List.of("idPublication", "dateExtraction", "complet")
                        .contains(name)) {
                    String v = reader.getElementText().strip();
                    switch (name) {
                        case "idPublication" -> id = v;
                        case "dateExtraction" -> extraction = v;
                        default -> complet = v;
                    }
                } else if ("lheo".equals(name) && spool == null) {
                    spool = side.newSpool();
                    copySubtree(reader, spool);
                } else {
                    throw new Refus(CodeErreur.REQUETE_INVALIDE, "Élément inattendu dans publierSessions : " + name,
                            List.of(name));
                }
                reader.nextTag();
            }
            if (id == null || !IDENTIFIANT.matcher(id).matches()) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "idPublication absent ou non conforme", List.of("idPublication"));
            }
            if (extraction == null || !horodatage(extraction)) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "dateExtraction absente ou non conforme (date-heure avec "
                        + "décalage)", List.of("dateExtraction"));
            }
            if (complet == null || !complet.matches("true|false|1|0")) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "complet absent ou non conforme", List.of("complet"));
            }
            if (spool == null) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Document LHEO absent", List.of("lheo"));
            }
            Path received = spool;
            spool = null; // publier deletes it
            Messages.PublierSessionsReponse reponse = side.publier(received, false, id,
                    complet.equals("true") || complet.equals("1"), caller);
            return answer("publierSessionsReponse", reponse);
        } catch (IOException e) {
            throw new Refus(CodeErreur.ERREUR_INTERNE, "Le hub n'a pas pu recevoir la publication : renvoyez-la");
        } finally {
            RegionSide.delete(spool);
        }
    }

    private static boolean horodatage(String v) {
        try {
            OffsetDateTime.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void toStart(XMLStreamReader r) throws XMLStreamException {
        while (r.getEventType() != XMLStreamConstants.START_ELEMENT && r.hasNext()) {
            r.next();
        }
    }

    /** Copies the element the reader is on, with everything in it, to {@code file}; the reader ends on its end tag. */
    private static void copySubtree(XMLStreamReader r, Path file) throws IOException, XMLStreamException {
        XMLOutputFactory f = XMLOutputFactory.newFactory();
        f.setProperty(XMLOutputFactory.IS_REPAIRING_NAMESPACES, Boolean.TRUE);
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter w = f.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            int depth = 0;
            do {
                switch (r.getEventType()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        depth++;
                        String ns = r.getNamespaceURI();
                        String prefix = r.getPrefix() == null ? "" : r.getPrefix();
                        w.writeStartElement(prefix, r.getLocalName(), ns == null ? "" : ns);
                        for (int i = 0; i < r.getNamespaceCount(); i++) {
                            String p = r.getNamespacePrefix(i);
                            if (p == null || p.isEmpty()) {
                                w.writeDefaultNamespace(r.getNamespaceURI(i));
                            } else {
                                w.writeNamespace(p, r.getNamespaceURI(i));
                            }
                        }
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String ans = r.getAttributeNamespace(i);
                            String ap = r.getAttributePrefix(i);
                            if (ans == null || ans.isEmpty()) {
                                w.writeAttribute(r.getAttributeLocalName(i), r.getAttributeValue(i));
                            } else {
                                w.writeAttribute(ap == null ? "" : ap, ans, r.getAttributeLocalName(i),
                                        r.getAttributeValue(i));
                            }
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        depth--;
                        w.writeEndElement();
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        w.writeCharacters(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                    default -> { } // comments and processing instructions are not kept
                }
                if (depth > 0) {
                    r.next();
                }
            } while (depth > 0);
            w.writeEndDocument();
            w.close();
        }
    }

    private Element answer(String name, Record message) {
        Document doc = contract.newDocument();
        Element e = ContractXml.toXml(doc, name, message);
        doc.appendChild(e);
        return e;
    }

    /** The SOAP 1.1 fault of a refusal: Client or Server, faultstring = message, detail = the contract's erreur. */
    private SoapFault fault(Refus r) {
        SoapFault fault = new SoapFault(r.getMessage(), r.code().client() ? Soap11.getInstance().getSender()
                : Soap11.getInstance().getReceiver());
        Element detail = fault.getOrCreateDetail();
        detail.appendChild(ContractXml.toXml(detail.getOwnerDocument(), "erreur", r.erreur()));
        return fault;
    }
}
