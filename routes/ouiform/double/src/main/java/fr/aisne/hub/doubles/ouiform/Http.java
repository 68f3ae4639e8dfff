package fr.aisne.hub.doubles.ouiform;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A request and an answer of the double's HTTP side, independent of the server that carries them. */
final class Http {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String JSON = "application/json;charset=UTF-8";
    static final String XML = "application/xml;charset=UTF-8";

    private Http() {
    }

    /** A request: method, path (no query), raw query (or null), header lookup (case-insensitive), body (maybe empty). */
    record Call(String method, String path, String query, Function<String, String> header, byte[] body) {
        String h(String name) {
            String v = header.apply(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        /** The first value of query parameter {@code name} (URL-decoded), or null. */
        String param(String name) {
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (k.equals(name)) {
                    return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    /** An answer: status, content type (null without body), extra headers, body (null for none). */
    record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {
        static Answer json(int status, Object value) {
            return json(status, Map.of(), value);
        }

        static Answer json(int status, Map<String, String> headers, Object value) {
            try {
                return new Answer(status, JSON, headers, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer text(int status, String contentType, String body) {
            return new Answer(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
        }

        Answer withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Answer(status, contentType, h, body);
        }
    }
}
