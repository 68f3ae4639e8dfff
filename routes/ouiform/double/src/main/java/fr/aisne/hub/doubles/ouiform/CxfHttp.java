package fr.aisne.hub.doubles.ouiform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.cxf.Bus;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.ExchangeImpl;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageImpl;
import org.apache.cxf.service.model.EndpointInfo;
import org.apache.cxf.transport.Conduit;
import org.apache.cxf.transport.Destination;
import org.apache.cxf.transport.DestinationFactory;
import org.apache.cxf.transport.DestinationFactoryManager;

import fr.aisne.hub.doubles.ouiform.Http.Answer;
import fr.aisne.hub.doubles.ouiform.Http.Call;

/**
 * Plain HTTP on CXF's own HTTP transport (its Jetty 12 engine, inside the runtime bundle), through CXF's transport
 * API only: a {@link Destination} per path prefix whose observer gets every request, and the destination's back
 * channel for the answer. This is how REST and the control API share one port with the SOAP endpoint: CXF and Camel's
 * Jetty component would each open their own Jetty server, and the runtime bundle does not export Jetty's classes.
 */
final class CxfHttp {
    static final String HTTP_TRANSPORT = "http://cxf.apache.org/transports/http";
    static final int MAX_BODY_BYTES = 5 * 1024 * 1024;

    private CxfHttp() {
    }

    /** A destination of {@code bus}'s HTTP transport at {@code address} (its path is a prefix), served by {@code handler}. */
    static Destination open(Bus bus, String address, Function<Call, Answer> handler) throws IOException {
        DestinationFactory factory;
        try {
            factory = bus.getExtension(DestinationFactoryManager.class).getDestinationFactory(HTTP_TRANSPORT);
        } catch (org.apache.cxf.BusException e) {
            throw new IOException("CXF has no HTTP transport: " + e.getMessage(), e);
        }
        EndpointInfo info = new EndpointInfo();
        info.setAddress(address);
        Destination destination = factory.getDestination(info, bus);
        destination.setMessageObserver(message -> {
            Answer answer;
            try {
                answer = handler.apply(call(message, true));
            } catch (TooLarge e) {
                answer = Answer.json(413, Map.of("code", "REQUETE_INVALIDE", "message",
                        "Corps trop volumineux (" + MAX_BODY_BYTES + " octets au plus)"));
            }
            send(destination, message, answer);
        });
        return destination;
    }

    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** The request carried by {@code message}; the body is read (bounded) only when {@code withBody}. */
    @SuppressWarnings("unchecked")
    static Call call(Message message, boolean withBody) {
        String method = String.valueOf(message.get(Message.HTTP_REQUEST_METHOD));
        String path = (String) message.get(Message.REQUEST_URI);
        if (path == null) {
            path = "/";
        }
        String query = (String) message.get(Message.QUERY_STRING);
        Map<String, List<String>> raw = (Map<String, List<String>>) message.get(Message.PROTOCOL_HEADERS);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (raw != null) {
            raw.forEach((k, v) -> {
                if (k != null && v != null && !v.isEmpty() && v.get(0) != null) {
                    headers.put(k, String.join(",", v));
                }
            });
        }
        byte[] body = new byte[0];
        if (withBody) {
            InputStream in = message.getContent(InputStream.class);
            if (in != null) {
                try {
                    body = in.readNBytes(MAX_BODY_BYTES + 1);
                } catch (IOException e) {
                    body = new byte[0];
                }
                if (body.length > MAX_BODY_BYTES) {
                    throw new TooLarge();
                }
            }
        }
        return new Call(method, path, query, headers::get, body);
    }

    /** Writes {@code answer} on the back channel of {@code in}'s destination. */
    static void send(Destination destination, Message in, Answer answer) {
        try {
            Exchange exchange = in.getExchange();
            if (exchange == null) {
                exchange = new ExchangeImpl();
                exchange.setInMessage(in);
                in.setExchange(exchange);
            }
            Message out = new MessageImpl();
            out.setExchange(exchange);
            exchange.setOutMessage(out);
            out.put(Message.RESPONSE_CODE, answer.status());
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            answer.headers().forEach((k, v) -> headers.put(k, List.of(v)));
            out.put(Message.PROTOCOL_HEADERS, headers);
            if (answer.contentType() != null) {
                out.put(Message.CONTENT_TYPE, answer.contentType());
            }
            Conduit back = destination.getBackChannel(in);
            back.prepare(out);
            try (OutputStream os = out.getContent(OutputStream.class)) {
                if (answer.body() != null) {
                    os.write(answer.body());
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to answer to
        }
    }
}
