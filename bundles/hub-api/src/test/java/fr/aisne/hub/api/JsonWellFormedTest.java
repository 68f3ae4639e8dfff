package fr.aisne.hub.api;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;


public class JsonWellFormedTest {
    private final JsonWellFormed validator = new JsonWellFormed();

    private void validate(JsonWellFormed v, byte[] payload) throws Exception {
        v.validate(new ByteArrayInputStream(payload));
    }

    private void validate(String payload) throws Exception {
        validate(validator, payload.getBytes(StandardCharsets.UTF_8));
    }

    private ValidationException rejected(String payload) {
        return rejected(validator, payload.getBytes(StandardCharsets.UTF_8));
    }

    private ValidationException rejected(JsonWellFormed v, byte[] payload) {
        return assertThrows(ValidationException.class, () -> validate(v, payload));
    }

    @Test
    public void objectsAndArraysAreAccepted() throws Exception {
        validate("{}");
        validate("[]");
        validate("{\"a\":1,\"b\":[true,null,\"x\",{\"c\":-1.5e3}]}");
        validate("  \n[1, 2, 3]\n  ");
        validate("\uFEFF{\"bom\":true}");
        validate("{\"nom\":\"Hélène\"}");
    }

    @Test
    public void emptyPayloadIsRejected() {
        ValidationException e = rejected("");
        assertTrue(e.getMessage(), e.getMessage().contains("empty"));
        rejected("   \n ");
    }

    @Test
    public void scalarsAreRejected() {
        for (String scalar : new String[] {"42", "\"text\"", "true", "null"}) {
            ValidationException e = rejected(scalar);
            assertTrue(e.getMessage(), e.getMessage().contains("object or array"));
        }
    }

    @Test
    public void contentAfterTheDocumentIsRejectedWithItsPosition() {
        ValidationException second = rejected("{\"a\":1}\n{\"b\":2}");
        assertTrue(second.getMessage(), second.getMessage().contains("after the end"));
        assertTrue(second.line() > 0 && second.column() > 0);
        assertTrue(second.describe(), second.describe().startsWith("line 2, column "));

        ValidationException garbage = rejected("[1,2] trailing");
        assertTrue(garbage.line() > 0 && garbage.column() > 0);
        rejected("{} ]");
    }

    @Test
    public void malformedJsonIsRejectedWithLineAndColumn() {
        ValidationException e = rejected("{\n  \"a\": 1,\n  \"b\": ,\n}");
        assertTrue(e.getMessage(), e.getMessage().startsWith("malformed JSON"));
        assertTrue("line " + e.line(), e.line() == 3);
        assertTrue("column " + e.column(), e.column() > 0);
        assertTrue(e.describe(), e.describe().startsWith("line 3, column "));
        rejected("{\"a\":1");
        rejected("[1,2,,3]");
        rejected("{'a':1}");
        rejected("{\"a\":01}");
        rejected("{\"a\":\"unterminated}");
        rejected("<xml/>");
    }

    @Test
    public void invalidUtf8IsRejected() {
        rejected(validator, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
    }

    @Test
    public void hostileNestingIsRejectedWithoutStackOverflow() {
        ValidationException arrays = rejected("[".repeat(10_000));
        assertTrue(arrays.getMessage(), arrays.getMessage().contains("limits"));
        ValidationException objects = rejected("{\"a\":".repeat(10_000));
        assertTrue(objects.getMessage(), objects.getMessage().contains("limits"));
        // well-formed but too deep
        rejected("[".repeat(100_000) + "]".repeat(100_000));
    }

    @Test
    public void nestingUpToTheLimitIsAccepted() throws Exception {
        validate("[".repeat(64) + "]".repeat(64));
        rejected("[".repeat(65) + "]".repeat(65));
        JsonWellFormed shallow = new JsonWellFormed(2);
        validate(shallow, "{\"a\":[1]}".getBytes(StandardCharsets.UTF_8));
        rejected(shallow, "{\"a\":[[1]]}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void payloadsThatAreNotUtf8TextAreRejectedAsInvalidNotAsIoErrors() {
        // a UCS-4 byte order Jackson cannot read: must be a validation failure, not an IOException
        rejected(validator, new byte[] {0, 0, (byte) 0xFF, (byte) 0xFE, 0, 0, 0, '{'});
        rejected(validator, new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 0, '{', 0, 0, 0});
    }
}
