package fr.aisne.hub.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.Test;

public class RedactionTest {

    @Test
    public void aPartnersNameIsRepeatedOnlyWhenItLooksLikeAName() {
        assertEquals("reseaux_porteurs", Redaction.name("reseaux_porteurs"));
        assertEquals("thématiques", Redaction.name("thématiques"));
        assertEquals("code_insee", Redaction.name("code_insee"));
        assertEquals("v1.2:x-y", Redaction.name("v1.2:x-y"));
        assertEquals("beneficiaire/dateNaissance", Redaction.name("beneficiaire/dateNaissance"));
        assertEquals("lignes/ligne[1]/ctp", Redaction.name("lignes/ligne[1]/ctp"));
        assertEquals("…", Redaction.name("reseaux_por185057800608491teurs"));
        assertEquals("…", Redaction.name("idPubli2025-05-31T25:61:61Zcation"));
        assertEquals("…", Redaction.name("a b"));
        assertEquals("…", Redaction.name("x".repeat(65)));
        assertEquals("…", Redaction.name(""));
        assertNull(Redaction.name(null));
    }

    @Test
    public void nirWithKeyWithoutSpaces() {
        assertEquals("[NIR]", Redaction.redact("185057800608436"));
    }

    @Test
    public void nirWithoutKey() {
        assertEquals("[NIR]", Redaction.redact("1850578006084"));
        assertEquals("[NIR]", Redaction.redact("1 85 05 78 006 084"));
    }

    @Test
    public void nirWithSpaces() {
        assertEquals("[NIR]", Redaction.redact("1 85 05 78 006 084 36"));
        assertEquals("[NIR]", Redaction.redact("2 91 12 02 123 456 78"));
    }

    @Test
    public void corsicanNirs() {
        assertEquals("[NIR]", Redaction.redact("1 85 05 2A 006 084 36"));
        assertEquals("[NIR]", Redaction.redact("285052B00608436"));
        assertEquals("[NIR]", Redaction.redact("1 85 05 2b 006 084"));
    }

    @Test
    public void nirsEmbeddedInText() {
        assertEquals("usager [NIR] inconnu", Redaction.redact("usager 1 85 05 78 006 084 36 inconnu"));
        assertEquals("nir=[NIR]&x=1", Redaction.redact("nir=185057800608436&x=1"));
        assertEquals("{\"nir\":\"[NIR]\"}", Redaction.redact("{\"nir\":\"185057800608436\"}"));
        assertEquals("(NIR: [NIR]).", Redaction.redact("(NIR: 2 85 05 2A 006 084 36)."));
        assertEquals("a [NIR] b [NIR]", Redaction.redact("a 185057800608436 b 1850578006084"));
    }

    @Test
    public void longDigitRunsGluedToLettersAreRedactedToo() {
        String r = Redaction.redact("token nir185057800608436");
        assertFalse(r, r.contains("185057800608436"));
    }

    @Test
    public void franceTravailIdsDatesAndShortNumbersAreKept() {
        for (String kept : new String[] {"1253359X", "identifiant 1253359X inscrit", "2026-11-21",
                "le 2026-11-21T08:00:00Z", "HTTP 503", "attempt 3 failed", "12345678", "06 12 34 56 78",
                "dossier D-2026-000123", "port 8282"}) {
            assertEquals(kept, Redaction.redact(kept));
        }
    }

    @Test
    public void bearerAndBasicCredentials() {
        String r = Redaction.redact("Authorization: Bearer abc.def.ghi123");
        assertFalse(r, r.contains("abc.def.ghi123"));
        assertTrue(r, r.contains("Bearer ***"));
        String b = Redaction.redact("header Basic YWRtaW46c2VjcmV0");
        assertFalse(b, b.contains("YWRtaW46c2VjcmV0"));
    }

    @Test
    public void urlCredentials() {
        String r = Redaction.redact("GET http://user:secret@host/x failed");
        assertFalse(r, r.contains("secret"));
        assertFalse(r, r.contains("user:"));
        assertEquals("GET http://***@host/x failed", r);
        assertEquals("a token as user name", "https://***@host/p", Redaction.redact("https://s3cr3tT0ken@host/p"));
        assertEquals("a password holding '@'", "sftp://***@host:22/in",
                Redaction.redact("sftp://caf:p@ss@word@host:22/in"));
        assertEquals("amqp://***@broker:5672", Redaction.redact("amqp://hub-internal:p4ss@broker:5672"));
        assertEquals("http://host/x", Redaction.redact("http://host/x"));
    }

    @Test
    public void secretQueryParameters() {
        String r = Redaction.redact("client_secret=xyz&a=b");
        assertFalse(r, r.contains("xyz"));
        assertEquals("client_secret=***&a=b", r);
        String q = Redaction.redact("https://api/x?access_token=T0k3n&password=hunter2&page=2");
        assertFalse(q, q.contains("T0k3n"));
        assertFalse(q, q.contains("hunter2"));
        assertTrue(q, q.endsWith("&page=2"));
        assertFalse(Redaction.redact("apikey=K1").contains("K1"));
        assertFalse(Redaction.redact("jetonAcces=J1").contains("J1"));
    }

    @Test
    public void nullStaysNull() {
        assertNull(Redaction.redact(null));
    }

    @Test
    public void describeGivesTheCauseChainWithClassNamesRedacted() {
        Exception e = new IllegalStateException("delivery failed for 185057800608436",
                new UncheckedIOException("connect http://svc:pw123@partner/x",
                        new IOException("Connection refused")));
        String d = Redaction.describe(e);
        assertEquals("IllegalStateException: delivery failed for [NIR] <- UncheckedIOException: connect "
                + "http://***@partner/x <- IOException: Connection refused", d);
        assertFalse(d, d.contains("pw123"));
        assertFalse("no stack trace", d.contains("\tat "));
    }

    @Test
    public void describeOfAThrowableWithoutMessageAndADeepChainIsBounded() {
        Throwable t = new RuntimeException();
        for (int i = 0; i < 10; i++) {
            t = new RuntimeException("level " + i, t);
        }
        String d = Redaction.describe(t);
        assertEquals(4, d.split(" <- ").length);
        assertEquals("NullPointerException", Redaction.describe(new NullPointerException()));
    }

    @Test
    public void textThatLooksLikeAnEndlessSchemeIsLeftAsItIs() {
        // a partner's 66 KB "cat-cat-cat-..." description (benchmarks/fuzz) made the URL pattern backtrack for seconds
        String text = "Client authenticat-" + "cat-".repeat(50_000) + " failed";
        assertEquals(text, Redaction.redact(text));
        assertEquals("see ftp://***@host and https://***@h2", Redaction.redact("see ftp://a:b@host and https://t0k3n@h2"));
    }

    @Test
    public void aPartnersTextHasItsDatesAndNumbersMasked() {
        assertEquals("rejet : ligne [date] S[date]Zervice [number] [NIR] x", Redaction.partnerText(
                "rejet : ligne 1985-05-31 S1985-05-31Zervice 12345678 185057800608491\nx"));
        assertEquals(163, Redaction.partnerText("a".repeat(200)).length());
        assertNull(Redaction.partnerText(null));
    }
}
