package fr.aisne.hub.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

/** Json.readPayload on the inputs benchmarks/fuzz found harmful: each is a refusal that quotes nothing. */
public class JsonReadPayloadTest {

    private static ValidationException refusal(byte[] body) {
        return assertThrows(ValidationException.class, () -> Json.readPayload(new ByteArrayInputStream(body), "payload"));
    }

    @Test
    public void aGoodDocumentIsRead() throws Exception {
        var node = Json.readPayload(new ByteArrayInputStream("{\"personId\":\"p-1\"}".getBytes(StandardCharsets.UTF_8)),
                "payload");
        assertEquals("p-1", node.get("personId").asText());
    }

    @Test
    public void aSyntaxErrorGivesLineAndColumnButNotTheTokenItStoppedAt() {
        ValidationException e = refusal("{\n \"nir\": 185057800608491x }".getBytes(StandardCharsets.UTF_8));
        assertFalse(e.getMessage(), e.getMessage().contains("1850578006084"));
        assertTrue(e.getMessage(), e.getMessage().contains("not JSON"));
        assertEquals(2, e.line());
    }

    @Test
    public void aHugeFieldNameIsRefusedBeforeItFillsTheHeap() {
        // a 2 MB name: without a limit Jackson's symbol table grows by several times that per name (OOM in the fuzzer)
        byte[] body = ("{\"" + "n".repeat(2_000_000) + "\":1}").getBytes(StandardCharsets.US_ASCII);
        ValidationException e = refusal(body);
        assertTrue(e.getMessage(), e.getMessage().contains("exceeds the JSON limits"));
    }

    @Test
    public void aDeepDocumentIsRefused() {
        byte[] body = "[".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        assertTrue(refusal(body).getMessage().contains("exceeds the JSON limits"));
    }

    @Test
    public void undecodableBytesAreARefusalNotAnIoFailure() {
        // 00 00 FF FE: the UCS-4 "3412" byte order Jackson does not support (found by the fuzzer as an IOException)
        byte[] body = {0, 0, (byte) 0xFF, (byte) 0xFE, 0, 0, 0, '{'};
        assertTrue(refusal(body).getMessage().contains("UTF-8, UTF-16 or UTF-32"));
        // a UTF-32 text cut in the middle of a character
        byte[] cut = {0, 0, 0, '{', 0, 0, 0, '"', 0, 0};
        refusal(cut);
    }
}
