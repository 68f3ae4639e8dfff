package fr.aisne.hub.connector.aisneactifs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class SignatureTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @Test
    public void hmacSha256OfTimestampDotBodyAsTheContractSays() {
        // computed independently: python3 hmac.new(KEY, b'1700000000.{"a":1}', sha256).hexdigest()
        assertEquals("v1=f05f2539e3ae1c49aec5f8cfdad75ef6b06480b133973ffbb7ec9e18827af177",
                Signature.sign(KEY, 1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void anotherTimestampBodyOrKeyGivesAnotherSignature() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String s = Signature.sign(KEY, 1_700_000_000L, body);
        assertNotEquals(s, Signature.sign(KEY, 1_700_000_001L, body));
        assertNotEquals(s, Signature.sign(KEY, 1_700_000_000L, "{\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(s, Signature.sign(KEY.replace('0', '1'), 1_700_000_000L, body));
    }
}
