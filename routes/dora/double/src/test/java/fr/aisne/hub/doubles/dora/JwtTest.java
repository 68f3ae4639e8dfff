package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

/** HS256 tokens: signed and verified as PyJWT does for data·inclusion. */
public class JwtTest {
    static final String SECRET = Settings.DEFAULT_TOKEN_SECRET;
    static final Instant NOW = Instant.parse("2026-03-16T09:00:00Z");

    @Test
    public void signThenVerify() {
        String t = Jwt.sign(Map.of("sub", "x", "scopes", List.of("api")), SECRET);
        assertEquals("x", Jwt.verify(t, SECRET, NOW).get("sub").asText());
        assertEquals(Set.of("api"), DataInclusionApi.scopes(Jwt.verify(
                Jwt.sign(Map.of("sub", "x", "scopes", List.of("api"), "created_at", "2026-01-01T00:00:00"), SECRET), SECRET, NOW)));
    }

    @Test
    public void theFixedTokensVerifyWithTheDefaultSecret() {
        assertNotNull(Jwt.verify(DoubleTestSupport.API_TOKEN, SECRET, NOW));
        assertEquals(Set.of("widget"), DataInclusionApi.scopes(Jwt.verify(DoubleTestSupport.WIDGET_TOKEN, SECRET, NOW)));
    }

    @Test
    public void otherAlgorithmsWrongSignaturesAndExpiredTokensFail() {
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"x\"}") + ".";
        assertNull(Jwt.verify(none, SECRET, NOW));
        String t = Jwt.sign(Map.of("sub", "x"), SECRET);
        assertNull(Jwt.verify(t, "another-secret-value-1234", NOW));
        assertNull(Jwt.verify(t + "x", SECRET, NOW));
        assertNull(Jwt.verify("only.two", SECRET, NOW));
        assertNull(Jwt.verify("%%%.%%%.%%%", SECRET, NOW));
        assertNull(Jwt.verify(Jwt.sign(Map.of("sub", "x", "exp", NOW.getEpochSecond()), SECRET), SECRET, NOW));
        assertNull(Jwt.verify(Jwt.sign(Map.of("sub", "x", "nbf", NOW.getEpochSecond() + 60), SECRET), SECRET, NOW));
        assertNull(Jwt.verify(Jwt.sign(Map.of("sub", "x", "exp", "tomorrow"), SECRET), SECRET, NOW));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
