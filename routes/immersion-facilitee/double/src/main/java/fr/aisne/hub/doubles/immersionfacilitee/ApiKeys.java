package fr.aisne.hub.doubles.immersionfacilitee;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API keys: JWTs whose payload is {@code {"id": <consumer id>, "version": 1, "iat": <seconds>}}, as the
 * platform's. The platform signs them with its own ES256 key; the double signs them with HS256 and a secret of its
 * own ({@code jwt.secret}), which changes nothing for a client (the key is opaque to it and sent as is).
 */
final class ApiKeys {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    /** What a verified key says: the consumer id and when it was issued (null when the key has no iat). */
    record Claims(String consumerId, Instant issuedAt) {
    }

    private final byte[] secret;

    ApiKeys(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** A key for {@code consumerId} issued at {@code issuedAt} (seconds precision, as a JWT). */
    String mint(String consumerId, Instant issuedAt) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", consumerId);
        payload.put("version", 1);
        payload.put("iat", issuedAt.getEpochSecond());
        try {
            String body = B64.encodeToString(MAPPER.writeValueAsBytes(payload));
            String signingInput = HEADER + "." + body;
            return signingInput + "." + B64.encodeToString(sign(signingInput));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The claims of a well-formed key signed with this double's secret, or null (the platform answers "incorrect
     * Jwt" to anything its verification refuses: not three parts, not JSON, another algorithm, a bad signature, an
     * expired {@code exp}, a "Bearer " prefix).
     */
    Claims verify(String key, Instant now) {
        String[] parts = key.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = MAPPER.readTree(B64D.decode(parts[0]));
            if (header == null || !"HS256".equals(header.path("alg").asText())) {
                return null;
            }
            byte[] expected = sign(parts[0] + "." + parts[1]);
            if (!MessageDigest.isEqual(expected, B64D.decode(parts[2]))) {
                return null;
            }
            JsonNode payload = MAPPER.readTree(B64D.decode(parts[1]));
            if (payload == null || !payload.path("id").isTextual()) {
                return null;
            }
            JsonNode exp = payload.get("exp");
            if (exp != null && (!exp.isNumber() || exp.asLong() <= now.getEpochSecond())) {
                return null;
            }
            JsonNode iat = payload.get("iat");
            return new Claims(payload.get("id").asText(),
                    iat != null && iat.isNumber() ? Instant.ofEpochSecond(iat.asLong()) : null);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    private byte[] sign(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
