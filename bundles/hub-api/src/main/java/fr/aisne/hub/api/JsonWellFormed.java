package fr.aisne.hub.api;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;


/**
 * Checks that a payload is one well-formed JSON document, streaming, with bounded nesting (so a hostile
 * document cannot exhaust memory or the stack).
 */
public final class JsonWellFormed implements PayloadValidator {
    private final JsonFactory factory;

    /** Strings are skipped, not buffered, so only the nesting depth needs a bound. */
    public JsonWellFormed(int maxNestingDepth) {
        this.factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth).build()).build();
    }

    public JsonWellFormed() {
        this(64);
    }

    @Override
    public void validate(InputStream payload) throws ValidationException, IOException {
        try (JsonParser p = factory.createParser(payload)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ValidationException("empty payload: a JSON document is required");
            }
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                throw new ValidationException("a JSON object or array is required", 1, 1);
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                JsonLocation at = p.currentLocation();
                throw new ValidationException("content after the end of the JSON document", at.getLineNr(),
                        at.getColumnNr());
            }
        } catch (java.io.CharConversionException e) {
            // Jackson reports undecodable bytes (e.g. an unsupported UCS-4 byte order) as an IOException
            throw new ValidationException("payload is not JSON text in UTF-8, UTF-16 or UTF-32");
        } catch (StreamConstraintsException e) {
            throw new ValidationException("JSON exceeds the limits of the flow: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ValidationException("malformed JSON: " + withoutQuotedText(e.getOriginalMessage()),
                    at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr());
        }
    }

    /** Jackson quotes the offending token ('Unrecognized token 'abc''): it may be a personal value, so it goes. */
    static String withoutQuotedText(String message) {
        if (message == null) {
            return "unreadable";
        }
        String first = message.split("\n")[0];
        return first.replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"");
    }
}
