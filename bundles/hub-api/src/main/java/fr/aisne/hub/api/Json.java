package fr.aisne.hub.api;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The hub's one JSON mapper (ISO-8601 dates). */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /**
     * The mapper for what a partner sends: bounded nesting, names, strings and numbers, so that a hostile document
     * cannot exhaust the heap (a 1 MB field name grew Jackson's symbol table past 256 MB in benchmarks/fuzz).
     */
    private static final ObjectMapper PAYLOAD_MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNameLength(1_000)
                    .maxStringLength(1 << 20).maxNumberLength(100).build())
            .build()).registerModule(new JavaTimeModule());

    private Json() {
    }

    /**
     * Reads a partner's JSON payload as a tree, within the limits above. Every failure is a ValidationException
     * naming {@code what}, the line and the column, never the text the parser stopped at (it may be a NIR or a
     * birth date); undecodable bytes (a wrong UTF-32 byte order...) are a refusal too, not an I/O failure.
     */
    public static JsonNode readPayload(InputStream in, String what) throws ValidationException, IOException {
        try {
            return PAYLOAD_MAPPER.readTree(in);
        } catch (CharConversionException e) {
            throw new ValidationException(what + " is not JSON text in UTF-8, UTF-16 or UTF-32");
        } catch (StreamConstraintsException e) {
            throw new ValidationException(what + " exceeds the JSON limits (depth 64, names of 1,000 characters, "
                    + "strings of 1 MiB, numbers of 100 digits)", line(e), column(e));
        } catch (JsonProcessingException e) {
            throw new ValidationException(what + " is not JSON (syntax error)", line(e), column(e));
        }
    }

    private static int line(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? -1 : at.getLineNr();
    }

    private static int column(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? -1 : at.getColumnNr();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
