package fr.aisne.hub.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.Test;

import fr.aisne.hub.api.ValidationException;

public class ObservationJsonTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String NIR = "1850578006084";

    private static PersonObservation parse(String json) throws Exception {
        return ObservationJson.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "caf", "exchange-1", NOW);
    }

    private static ValidationException rejected(String json) {
        return assertThrows(json, ValidationException.class, () -> parse(json));
    }

    @Test
    public void validObservationIsParsed() throws Exception {
        PersonObservation o = parse("""
                {"nir": "1 85 05 78 006 084 91",
                 "identifiers": {"caf:matricule": "1234567", "france-travail:numero": "FT0001"},
                 "attributes": {"nom_naissance": "TESTNOM", "prenom": "Camille", "date_naissance": "1985-05-01",
                                "date_sortie_rsa": "", "soumis_droits_devoirs": true, "nb_enfants": 2},
                 "household": {"numorg": "021", "matricule": "1234567", "role": "DEM"},
                 "observedAt": "2026-02-27T09:30:00Z"}
                """);
        assertEquals("caf", o.sourcePartner());
        assertEquals("exchange-1", o.sourceExchange());
        assertEquals(Instant.parse("2026-02-27T09:30:00Z"), o.observedAt());
        assertEquals("1 85 05 78 006 084 91", o.nir());
        assertEquals(NIR, Nir.canonical(o.nir()));
        assertEquals(Map.of("caf:matricule", "1234567", "france-travail:numero", "FT0001"), o.identifiers());
        assertEquals("TESTNOM", o.attribute("nom_naissance"));
        assertEquals("1985-05-01", o.attribute("date_naissance"));
        assertEquals("", o.attribute("date_sortie_rsa"));
        assertEquals("true", o.attribute("soumis_droits_devoirs"));
        assertEquals("2", o.attribute("nb_enfants"));
        assertEquals(new PersonObservation.Household("021", "1234567", "DEM"), o.household());
    }

    @Test
    public void sourceComesFromTheArgumentsAndObservedAtDefaultsToNow() throws Exception {
        PersonObservation o = ObservationJson.parse(new ByteArrayInputStream(
                "{\"identifiers\": {\"france-travail:numero\": \"FT0002\"}}".getBytes(StandardCharsets.UTF_8)),
                "france-travail", "ex-42", NOW);
        assertEquals("france-travail", o.sourcePartner());
        assertEquals("ex-42", o.sourceExchange());
        assertEquals(NOW, o.observedAt());
        assertNull(o.nir());
        assertNull(o.household());
        assertEquals(Map.of(), o.attributes());
    }

    @Test
    public void payloadCannotChooseItsSource() {
        ValidationException e = rejected("{\"sourcePartner\": \"caf\", \"attributes\": {\"prenom\": \"Camille\"}}");
        assertTrue(e.getMessage(), e.getMessage().contains("sourcePartner"));
    }

    @Test
    public void jsonNullAttributeBecomesEmpty() throws Exception {
        PersonObservation o = parse("{\"attributes\": {\"telephone\": null, \"prenom\": \"Camille\"}}");
        assertEquals("", o.attribute("telephone"));
        assertTrue(o.attributes().containsKey("telephone"));
    }

    @Test
    public void jsonNullIdentifierBecomesEmptyAndIsKept() throws Exception {
        // the registry must then treat "" as unknown (RegistryServiceTest.blankIdentifiersNeverMatchAnybody)
        PersonObservation o = parse("{\"identifiers\": {\"caf:matricule\": null}, \"attributes\": {\"prenom\": \"Camille\"}}");
        assertEquals(Map.of("caf:matricule", ""), o.identifiers());
    }

    @Test
    public void badNirKeyIsRejectedWithoutRepeatingTheNir() {
        ValidationException e = rejected("{\"nir\": \"" + NIR + "92\", \"attributes\": {\"prenom\": \"Camille\"}}");
        assertTrue(e.getMessage(), e.getMessage().contains("nir"));
        assertFalse(e.getMessage(), e.getMessage().contains(NIR));
        assertFalse(e.getMessage(), e.getMessage().contains("85057800"));
        ValidationException malformed = rejected("{\"nir\": \"5850578006084\"}");
        assertTrue(malformed.getMessage().contains("nir"));
        assertFalse(malformed.getMessage().contains("5850578006084"));
    }

    @Test
    public void unknownTopLevelFieldIsRejected() {
        ValidationException e = rejected("{\"nir\": \"" + NIR + "\", \"adresse\": \"1 rue de test\"}");
        assertTrue(e.getMessage(), e.getMessage().contains("adresse"));
    }

    @Test
    public void identifierKeysArePartnerColonKind() {
        for (String key : new String[] {"matricule", "caf:", ":matricule", "CAF:matricule", "caf:matricule:x", "caf.matricule"}) {
            ValidationException e = rejected("{\"identifiers\": {\"" + key + "\": \"1\"}}");
            assertTrue(e.getMessage(), e.getMessage().contains("identifier"));
        }
    }

    @Test
    public void attributeNamesAreLowerCaseWords() {
        ValidationException e = rejected("{\"attributes\": {\"Nom\": \"X\"}}");
        assertTrue(e.getMessage(), e.getMessage().contains("attribute"));
    }

    @Test
    public void datesMustBeIsoDates() {
        ValidationException e = rejected("{\"attributes\": {\"date_naissance\": \"01/05/1985\"}}");
        assertTrue(e.getMessage(), e.getMessage().contains("date_naissance"));
        assertFalse(e.getMessage(), e.getMessage().contains("1985"));
        assertTrue(rejected("{\"attributes\": {\"date_naissance\": \"1985-02-30\"}}").getMessage().contains("date_naissance"));
        assertTrue(rejected("{\"attributes\": {\"date_sortie_rsa\": \"hier\"}}").getMessage().contains("date_sortie_rsa"));
        assertTrue(rejected("{\"attributes\": {\"prenom\": \"Camille\"}, \"observedAt\": \"2026-02-27\"}").getMessage()
                .contains("observedAt"));
    }

    @Test
    public void householdNeedsNumorgMatriculeAndAKnownRole() {
        String[] bad = {
            "{\"matricule\": \"1234567\", \"role\": \"DEM\"}",
            "{\"numorg\": \"21\", \"matricule\": \"1234567\", \"role\": \"DEM\"}",
            "{\"numorg\": \"021\", \"role\": \"DEM\"}",
            "{\"numorg\": \"021\", \"matricule\": \"12A4567\", \"role\": \"DEM\"}",
            "{\"numorg\": \"021\", \"matricule\": \"1234567\", \"role\": \"CHEF\"}",
            "{\"numorg\": \"021\", \"matricule\": \"1234567\"}",
        };
        for (String h : bad) {
            ValidationException e = rejected("{\"attributes\": {\"prenom\": \"Camille\"}, \"household\": " + h + "}");
            assertTrue(e.getMessage(), e.getMessage().contains("household"));
        }
    }

    @Test
    public void emptyObservationIsRejected() {
        assertTrue(rejected("{}").getMessage().contains("says nothing"));
        assertTrue(rejected("{\"identifiers\": {}, \"attributes\": {}}").getMessage().contains("says nothing"));
        assertTrue(rejected("[]").getMessage().contains("object"));
    }

    @Test
    public void nonJsonIsRejectedWithItsPosition() {
        ValidationException e = rejected("{\n  \"nir\": \"" + NIR + "\",\n  \"attributes\": {\"prenom\": Camille}\n}");
        assertTrue(e.getMessage(), e.getMessage().contains("not JSON"));
        assertEquals(3, e.line());
        assertTrue(e.column() > 0);
        assertTrue(e.describe().startsWith("line 3, column "));
    }

    /** Before: Jackson's message quoted the token it stopped at ("Unrecognized token '1850578006084X'..."). */
    @Test
    public void aSyntaxErrorQuotesNoValueOfThePayload() {
        for (String json : new String[] {
            "{\"nir\": " + NIR + "X}",
            "{\"nir\": A" + NIR + "}",
            "{\"attributes\": {\"date_naissance\": 1985-05-12}}",
            "{\"attributes\": {\"date_naissance\": date1985-05-12}}",
            "{\"attributes\": {\"prenom\": \"Camille\" \"date_naissance\": \"1985-05-12\"}}",
            "{\"nir\": \"" + NIR + "\"" + "\u0000}"}) {
            ValidationException e = rejected(json);
            assertTrue(e.getMessage(), e.getMessage().startsWith("observation is not JSON"));
            for (String value : new String[] {NIR, "1985", "05-12", "Camille"}) {
                assertFalse(json + " -> " + e.getMessage(), e.getMessage().contains(value));
            }
        }
    }

    @Test
    public void aFieldNameThatCouldBeAValueIsNotRepeated() {
        for (String json : new String[] {"{\"" + NIR + "\": \"x\"}", "{\"identifiers\": {\"" + NIR + "\": \"1\"}}",
            "{\"attributes\": {\"" + NIR + "\": {\"x\": 1}}}",
            "{\"attributes\": {\"ne_le_1985-05-12\": \"x\"}}"}) {
            ValidationException e = rejected(json);
            assertFalse(e.getMessage(), e.getMessage().contains(NIR) || e.getMessage().contains("1985"));
        }
        assertTrue("a plain name is still named", rejected("{\"adresse\": \"x\"}").getMessage().contains("adresse"));
    }

    @Test
    public void nestedValuesAreRejected() {
        ValidationException e = rejected("{\"attributes\": {\"prenom\": {\"x\": 1}}}");
        assertTrue(e.getMessage(), e.getMessage().contains("attributes.prenom"));
        assertTrue(rejected("{\"identifiers\": [\"caf:matricule\"]}").getMessage().contains("identifiers"));
    }

    @Test
    public void validatorChecksWithoutASource() throws Exception {
        ObservationJson.validator().validate(new ByteArrayInputStream("{\"nir\": \"1850578006084\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ValidationException.class, () -> ObservationJson.validator()
                .validate(new ByteArrayInputStream("{\"nir\": \"185057800608492\"}".getBytes(StandardCharsets.UTF_8))));
    }
}
