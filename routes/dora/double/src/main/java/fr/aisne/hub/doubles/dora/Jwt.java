package fr.aisne.hub.doubles.dora;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * HS256 JSON Web Tokens as data·inclusion issues them: {@code {"sub", "scopes", "created_at"}}, no expiry. Verified
 * as PyJWT does for data·inclusion: the algorithm must be HS256, the signature must match, and {@code exp} /
 * {@code nbf}, when present, must be numbers that hold at {@code now}.
 */
final class Jwt {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private Jwt() {
    }

    static String sign(Map<String, ?> claims, String secret) {
        try {
            String payload = B64.encodeToString(MAPPER.writeValueAsBytes(claims));
            String input = HEADER + "." + payload;
            return input + "." + B64.encodeToString(hmac(input, secret));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payload of a valid token, else null (malformed, another algorithm, wrong signature, expired). */
    static ObjectNode verify(String token, String secret, Instant now) {
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = MAPPER.readTree(B64D.decode(parts[0]));
            if (header == null || !header.isObject() || !"HS256".equals(header.path("alg").asText(null))) {
                return null;
            }
            byte[] expected = hmac(parts[0] + "." + parts[1], secret);
            if (!MessageDigest.isEqual(expected, B64D.decode(parts[2]))) {
                return null;
            }
            JsonNode payload = MAPPER.readTree(B64D.decode(parts[1]));
            if (payload == null || !payload.isObject()) {
                return null;
            }
            if (!timeHolds(payload.get("exp"), t -> now.getEpochSecond() < t)
                    || !timeHolds(payload.get("nbf"), t -> now.getEpochSecond() >= t)) {
                return null;
            }
            return (ObjectNode) payload;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    private static boolean timeHolds(JsonNode claim, java.util.function.LongPredicate test) {
        if (claim == null) {
            return true;
        }
        return claim.isNumber() && test.test(claim.asLong());
    }

    private static byte[] hmac(String input, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
