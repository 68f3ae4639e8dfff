package fr.aisne.hub.connector.ouiform.internal;

import static fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.action;
import static fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.document;
import static fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.formation;
import static fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.session;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.testing.DeliveryFailures;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.connector.ouiform.lheo.LheoFixtures;

/** The catalogue's import (two passes, batches, withdrawals) and the department's search over it. */
public class CatalogueImportTest {
    private Fixture f;

    @Before
    public void setUp() throws Exception {
        f = new Fixture();
    }

    @After
    public void tearDown() {
        f.close();
    }

    private DeliveryResult publish(String exchangeId, byte[] doc, String contentType, String id) throws DeliveryFailure {
        return f.runtime.catalogueFlow.deliveryHandler().deliver(new TestDelivery(exchangeId, id, "ouiform", "catalogue",
                contentType, id, "ouiform-catalogue", "test", 1, doc));
    }

    private CatalogueStore.Page search(String texte, String cp, LocalDate apres, LocalDate avant, boolean ouvertes) {
        return f.runtime.catalogue.search(new CatalogueStore.Query(texte, null, cp, null, apres, avant, ouvertes, null,
                null, null, 50, 0));
    }

    private static List<Object> ids(CatalogueStore.Page p) {
        return p.sessions().stream().map(s -> s.get("idSession")).toList();
    }

    @Test
    public void theWeeklyFileIsImportedAndSearchable() throws Exception {
        String week1 = document(
                formation("F1", "Agent de propreté et d'hygiène", "&lt;p&gt;Nettoyage&lt;/p&gt;", "12345678900017",
                        action("A1", "02000", "Laon", "02408", "4520,50", "35",
                                session("S-LAON", "20270104", "20270402", "1"),
                                session("S-CLOSED", "20270104", "20270402", "2")),
                        action("A1", "02100", "Saint-Quentin", "02691", "3890,00", "24,5",
                                session("S-MONTH", "20270200", "20270000", "1"))),
                formation("F2", "Remise à niveau - compétences clés", "Non renseigné", "23456789000028",
                        action("A2", "02200", "Soissons", "02722", "1250,00", "20",
                                session("S-PERM", "00000000", "99999999", null))));
        DeliveryResult r = publish("0e4f5c2a-0000-4000-8000-0000000000d1", week1.getBytes(StandardCharsets.UTF_8),
                CatalogueImport.contentType(false, true), "lheo-semaine-1.xml");
        assertTrue(r.detail(), r.detail().startsWith("publication lheo-semaine-1.xml (complete): 2 formations, 3 actions, "
                + "4 sessions; warnings {datemaj 00000000 (unknown update date)=4}; 4 sessions stored, 0 withdrawn"));
        assertEquals(4, f.runtime.catalogue.count());

        Map<String, Object> laon = f.runtime.catalogue.session("S-LAON").orElseThrow();
        assertEquals(new BigDecimal("4520.50"), laon.get("prixTotalTTC"));
        assertEquals(Map.of("codePostal", "02000", "ville", "Laon", "codeInsee", "02408"), laon.get("lieu"));
        assertEquals("Nettoyage", laon.get("objectif"));
        @SuppressWarnings("unchecked")
        Map<String, Object> month = (Map<String, Object>) f.runtime.catalogue.session("S-MONTH").orElseThrow().get("debut");
        assertEquals(Map.of("lheo", "20270200", "precision", "mois", "auPlusTot", "2027-02-01", "auPlusTard", "2027-02-28"),
                month);

        assertEquals("open sessions by default", List.of("S-LAON", "S-MONTH", "S-PERM"), ids(search(null, null, null, null, true)));
        assertEquals(4, search(null, null, null, null, false).total());
        assertEquals("accents and case ignored", List.of("S-PERM"), ids(search("COMPETENCES cles", null, null, null, true)));
        assertEquals(List.of("S-MONTH"), ids(search("saint quentin", null, null, null, true)));
        assertEquals(List.of("S-LAON"), ids(search(null, "02000", null, null, true)));
        assertEquals("a month-only start may fall after the 15th; an unknown start is kept", List.of("S-MONTH", "S-PERM"),
                ids(search(null, null, LocalDate.of(2027, 2, 15), null, true)));
        assertEquals(List.of("S-LAON", "S-PERM"), ids(search(null, null, null, LocalDate.of(2027, 1, 31), true)));

        // the next week's complete file withdraws what it no longer holds; a partial publication withdraws nothing
        String week2 = document(formation("F1", "Agent de propreté et d'hygiène", "O", "12345678900017",
                action("A1", "02000", "Laon", "02408", "4600,00", "35", session("S-LAON", "20270111", "20270409", "1"))));
        DeliveryResult r2 = publish("0e4f5c2a-0000-4000-8000-0000000000d2", week2.getBytes(StandardCharsets.UTF_8),
                CatalogueImport.contentType(false, true), "lheo-semaine-2.xml");
        assertTrue(r2.detail(), r2.detail().contains("1 sessions stored, 3 withdrawn"));
        assertEquals(new BigDecimal("4600.00"), f.runtime.catalogue.session("S-LAON").orElseThrow().get("prixTotalTTC"));
        DeliveryResult json = publish("0e4f5c2a-0000-4000-8000-0000000000d3",
                LheoFixtures.exampleBytes("rest/post-sessions.requete.json"), "application/json", "PUB-2026-W50");
        assertTrue(json.detail(), json.detail().contains("(complete)")); // the JSON example says complet: true
        assertEquals(3, f.runtime.catalogue.count());
    }

    @Test
    public void anLheo22DocumentOrABrokenOneChangesNothing() throws Exception {
        publish("0e4f5c2a-0000-4000-8000-0000000000e1", LheoFixtures.exampleBytes("rest/post-sessions.requete.xml"),
                CatalogueImport.contentType(false, true), "ok.xml");
        assertEquals(2, f.runtime.catalogue.count());
        DeliveryFailure v22 = DeliveryFailures.permanent(() -> publish("0e4f5c2a-0000-4000-8000-0000000000e2",
                LheoFixtures.exampleBytes("rest/post-sessions.requete-lheo22-refusee.xml"),
                CatalogueImport.contentType(false, true), "lheo22.xml"));
        assertTrue(v22.getMessage(), v22.getMessage().startsWith("LHEO_VERSION_NON_SUPPORTEE: line 4"));
        String bad = document(formation("F9", "T", "O", "12345678900017", action("A9", "02000", "Laon", null, "1", "1",
                session("S9", "20270104", "20270402", "1")))).replace("<certifiante>1</certifiante>", "<certifiante>x</certifiante>");
        DeliveryFailure invalid = DeliveryFailures.permanent(() -> publish("0e4f5c2a-0000-4000-8000-0000000000e3",
                bad.getBytes(StandardCharsets.UTF_8), CatalogueImport.contentType(false, true), "bad.xml"));
        assertTrue(invalid.getMessage(), invalid.getMessage().startsWith("REQUETE_INVALIDE: line "));
        assertEquals("nothing withdrawn by a refused complete file", 2, f.runtime.catalogue.count());
        assertTrue(f.runtime.catalogueImport.status(), f.runtime.catalogueImport.status().contains("refused"));
    }

    @Test
    public void aLargeCatalogueIsImportedInBatches() throws Exception {
        byte[] doc = LheoFixtures.large(120, 5).readAllBytes();
        DeliveryResult r = publish("0e4f5c2a-0000-4000-8000-0000000000f1", doc, CatalogueImport.contentType(false, true),
                "large.xml");
        assertTrue(r.detail(), r.detail().contains("120 formations, 240 actions, 1200 sessions"));
        assertTrue(r.detail(), r.detail().contains("; 1200 sessions stored, 0 withdrawn"));
        assertEquals(1200, f.runtime.catalogue.count());
        System.out.println("OuiForm catalogue import (1,200 sessions, " + doc.length / 1024 + " KiB, embedded Derby): "
                + r.detail().replaceAll(".*; (\\d+ ms \\(\\d+ sessions/s\\))$", "$1"));
    }
}
