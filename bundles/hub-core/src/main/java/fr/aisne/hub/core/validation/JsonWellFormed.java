package fr.aisne.hub.core.validation;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;

import fr.aisne.hub.core.spi.PayloadValidator;
import fr.aisne.hub.core.spi.ValidationException;

/**
 * Checks that a payload is one well-formed JSON document, streaming, with bounded nesting and string
 * sizes (so a hostile document cannot exhaust memory).
 */
public final class JsonWellFormed implements PayloadValidator {
    private final JsonFactory factory;

    public JsonWellFormed(int maxNestingDepth, int maxStringLength) {
        this.factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth).maxStringLength(maxStringLength).build()).build();
    }

    public JsonWellFormed() {
        this(64, 1_000_000);
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
        } catch (StreamConstraintsException e) {
            throw new ValidationException("JSON exceeds the limits of the flow: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ValidationException("malformed JSON: " + e.getOriginalMessage(),
                    at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr());
        }
    }
}
