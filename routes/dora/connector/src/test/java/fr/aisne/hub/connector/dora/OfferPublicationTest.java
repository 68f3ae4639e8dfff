package fr.aisne.hub.connector.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.testing.DeliveryFailures;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/** The offer delivered: published whole, unchanged items not written and keeping their date, withdrawals. */
public class OfferPublicationTest {
    private MutableClock clock;
    private OfferStore store;
    private OfferHandler handler;

    @Before
    public void setUp() {
        fr.aisne.hub.api.ModuleDatabase database = TestTables.empty();
        clock = new MutableClock(TestItems.NOW);
        store = new OfferStore(database.jdbc(), clock);
        OfferCheck check = new OfferCheck(TestItems.V1, new OfferMapping("departement-aisne", List.of("02")), clock);
        handler = new OfferHandler(check, store, clock);
    }

    private DeliveryResult deliver(String id, JsonNode offer) throws DeliveryFailure {
        return handler.deliver(new TestDelivery(id, id, "departement", "offre", "application/json", null, null,
                "agent-insertion", 1, Json.write(offer).getBytes(StandardCharsets.UTF_8)));
    }

    private String dateOf(Kind kind, String id) throws Exception {
        for (JsonNode i : store.page(kind, 1, 100)) {
            if (i.get("id").asText().equals(id)) {
                return i.get("date_maj").asText();
            }
        }
        throw new AssertionError(id + " not published");
    }

    @Test
    public void publishedWholeThenNothingWrittenWhenNothingChanged() throws Exception {
        ObjectNode offer = TestItems.exampleOffer();
        DeliveryResult r = deliver("00000000-0000-0000-0000-000000000001", offer);
        assertEquals("offer published: 4 structures, 7 services (11 new, 0 changed, 0 unchanged, 0 withdrawn)",
                r.detail());
        assertEquals(4, store.count(Kind.STRUCTURE));
        assertEquals(7, store.count(Kind.SERVICE));
        OfferStore.Current c = store.current().orElseThrow();
        assertEquals("00000000-0000-0000-0000-000000000001", c.exchangeId());
        assertEquals("agent-insertion", c.sender());
        assertEquals(7, c.services());
        List<JsonNode> page = store.page(Kind.SERVICE, 1, 3);
        assertEquals("ordered by id", "departement-aisne--accompagnement-createurs", page.get(0).get("id").asText());
        assertEquals(TestItems.TODAY.toString(), dateOf(Kind.SERVICE, "departement-aisne--plateforme-mobilite"));

        // a week later, the same offer: nothing written, dates kept
        clock.advance(Duration.ofDays(7));
        r = deliver("00000000-0000-0000-0000-000000000002", offer);
        assertEquals("offer published: 4 structures, 7 services (0 new, 0 changed, 11 unchanged, 0 withdrawn)",
                r.detail());
        assertEquals(TestItems.TODAY.toString(), dateOf(Kind.SERVICE, "departement-aisne--plateforme-mobilite"));
    }

    @Test
    public void aChangedActionIsRedatedAWithdrawnOneLeaves() throws Exception {
        ObjectNode offer = TestItems.exampleOffer();
        deliver("00000000-0000-0000-0000-000000000001", offer);
        clock.advance(Duration.ofDays(7));
        ((ObjectNode) offer.get("actions").get(2)).put("description", "Diagnostic de mobilité et location de véhicules.");
        ((com.fasterxml.jackson.databind.node.ArrayNode) offer.get("actions")).remove(6);
        DeliveryResult r = deliver("00000000-0000-0000-0000-000000000002", offer);
        assertEquals("offer published: 4 structures, 6 services (0 new, 1 changed, 9 unchanged, 1 withdrawn)",
                r.detail());
        assertEquals(TestItems.TODAY.plusDays(7).toString(), dateOf(Kind.SERVICE, "departement-aisne--plateforme-mobilite"));
        assertEquals(TestItems.TODAY.toString(), dateOf(Kind.SERVICE, "departement-aisne--preparation-permis"));
        assertEquals(6, store.count(Kind.SERVICE));
    }

    @Test
    public void anOfferNoLongerValidIsQuarantinedAndThePublishedOneStays() throws Exception {
        ObjectNode offer = TestItems.exampleOffer();
        deliver("00000000-0000-0000-0000-000000000001", offer);
        // accepted at intake, replayed a year later with a date that is now... still fine; a broken one is refused:
        ((ObjectNode) offer.get("actions").get(0)).put("date_maj", TestItems.TODAY.plusDays(2).toString());
        DeliveryFailure f = DeliveryFailures.permanent(() -> deliver("00000000-0000-0000-0000-000000000003", offer));
        assertTrue(f.getMessage(), f.getMessage().contains("actions[0].date_maj: date_maj-range"));
        assertEquals(7, store.count(Kind.SERVICE));
        assertEquals("00000000-0000-0000-0000-000000000001", store.current().orElseThrow().exchangeId());
        DeliveryFailures.permanent(() -> handler.deliver(new TestDelivery("x", "x", "departement", "offre",
                "application/json", null, null, "a", 1, "nope".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    public void warningsAreInTheDetail() throws Exception {
        ObjectNode offer = TestItems.exampleOffer();
        ((ObjectNode) offer.get("actions").get(0)).put("intitule", "Coaching emploi en Thiérache.");
        DeliveryResult r = deliver("00000000-0000-0000-0000-000000000001", offer);
        assertTrue(r.detail(), r.detail().endsWith("warnings: actions[0].intitule: nom-final-period (should not end with "
                + "a period)"));
    }

    @Test
    public void theCsvOfThePublishedOffer() throws Exception {
        deliver("00000000-0000-0000-0000-000000000001", TestItems.exampleOffer());
        OfferCsv csv = new OfferCsv(TestItems.V1);
        String text = csv.write(store.structures(), store.page(Kind.SERVICE, 1, 100));
        assertTrue(text.startsWith(OfferCsv.BOM + "structure_id;structure_accessibilite_lieu;structure_adresse;"));
        String[] lines = text.substring(1).split("\r\n");
        assertEquals("a header and one row per service", 8, lines.length);
        List<String> header = List.of(lines[0].split(";"));
        assertEquals(csv.header(), header);
        assertTrue(header.containsAll(List.of("structure_nom", "structure_siret", "source", "id", "nom", "thematiques",
                "publics", "zone_eligibilite", "nombre_semaines")));
        String mobilite = java.util.Arrays.stream(lines).filter(l -> l.contains(";departement-aisne--plateforme-mobilite;"))
                .findFirst().orElseThrow();
        List<String> cells = List.of(mobilite.split(";", -1));
        assertEquals(header.size(), cells.size());
        assertEquals("departement-aisne--mobilite-aisne", cells.get(0));
        assertEquals("Plateforme mobilité de l'Aisne", cells.get(header.indexOf("structure_nom")));
        assertEquals("en-presentiel,a-distance", cells.get(header.indexOf("modes_accueil")));
        assertEquals("49.5641", cells.get(header.indexOf("latitude")));
    }

    @Test
    public void csvCellsAreQuotedWhenTheyMustBe() {
        assertEquals("plain", OfferCsv.quoted("plain"));
        assertEquals("\"a;b\"", OfferCsv.quoted("a;b"));
        assertEquals("\"dit \"\"oui\"\"\"", OfferCsv.quoted("dit \"oui\""));
        assertEquals("\"deux\nlignes\"", OfferCsv.quoted("deux\nlignes"));
        assertEquals("\" espace\"", OfferCsv.quoted(" espace"));
        assertEquals("a,b", OfferCsv.cell(Json.MAPPER.createArrayNode().add("a").add("b")));
        assertEquals("", OfferCsv.cell(null));
    }
}
