package fr.aisne.hub.connector.aisneactifs;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature of contract v1: {@code X-Hub-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}
 * with {@code X-Hub-Timestamp: <Unix seconds>}. The timestamp is inside the signed text, so a replayed call is
 * refused by the receiver once it is older than its tolerance (5 minutes in the contract).
 */
final class Signature {
    static final String TIMESTAMP_HEADER = "X-Hub-Timestamp";
    static final String SIGNATURE_HEADER = "X-Hub-Signature";
    static final String EVENT_HEADER = "X-Hub-Event-Id";
    static final String TYPE_HEADER = "X-Hub-Event-Type";

    private Signature() {
    }

    /** The header value for {@code body} sent at {@code epochSeconds}. */
    static String sign(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
