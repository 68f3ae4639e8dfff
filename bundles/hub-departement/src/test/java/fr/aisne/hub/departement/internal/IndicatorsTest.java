package fr.aisne.hub.departement.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The indicators of {@link FixedDataSet} equal the figures worked out by hand (in each comment). */
public class IndicatorsTest {
    private final FixedDataSet data = FixedDataSet.march2027();

    private Indicators.Result march(String territory) {
        return Indicators.compute(data.events, data.files(), Indicators.Period.of(2027, 3), territory, FixedDataSet.ZONE);
    }

    @Test
    public void marchForTheWholeAisne() {
        Map<String, Object> a = march(null).territories().get(Indicators.ALL);
        // opened in March: P1, P2, P3, P4 (P5 opened in February)
        assertEquals(4, a.get("entrees_droits_devoirs"));
        // oriented: P1 10 days, P2 38 days, P4 15 days (registry); P3 not oriented. Median of 10, 15, 38 = 15
        assertEquals(3, a.get("orientes_cohorte"));
        assertEquals(new BigDecimal("15"), a.get("delai_orientation_median_jours"));
        // within the month (orientation_avant): P1 and P4, out of the 4 opened: 0.5
        assertEquals(2L, a.get("orientes_dans_le_mois"));
        assertEquals(new BigDecimal("0.5000"), a.get("part_orientes_dans_le_mois"));
        // oriented in March: P1 (03-11), P4 (03-30), P5 (03-05); CER signed since: P1 (03-20), P4 (04-02); P5 signed
        // 03-01, before its orientation: 2 of 3
        assertEquals(3, a.get("orientes_periode"));
        assertEquals(2L, a.get("orientes_periode_avec_cer"));
        assertEquals(new BigDecimal("0.6667"), a.get("part_cer_signe"));
        // decisions dated in March: P1 PSP france-travail, P5 PSP departement (events), P4 PED ccas (registry);
        // P2's is in April
        assertEquals(3, a.get("orientations"));
        assertEquals(Map.of("PSP", 2, "PED", 1), a.get("orientations_par_parcours"));
        assertEquals(Map.of("france-travail", 1, "departement", 1, "ccas", 1), a.get("orientations_par_organisme"));
        // France Travail: P1 registered 03-05 (P3 on 04-01)
        assertEquals(1L, a.get("inscriptions_france_travail"));
        // immersions starting in March: C1 (35 h); C2 cancelled; C3 started in February. C1 ended with a job
        assertEquals(1, a.get("immersions"));
        assertEquals(new BigDecimal("35"), a.get("immersions_heures"));
        assertEquals(new BigDecimal("35.0"), a.get("immersions_duree_moyenne_heures"));
        assertEquals(Map.of("non renseigné", 1), a.get("immersions_par_secteur"));
        assertEquals(1L, a.get("immersions_sorties_emploi"));
        // trainings: P3 and P4 entered, P4 dropped out
        assertEquals(2, a.get("formations_entrees"));
        assertEquals(1, a.get("formations_sorties"));
        assertEquals(Map.of("sortie", 0, "abandon", 1), a.get("formations_sorties_par_type"));
        // APIE actions: P1 (1-2) and P2 (2) entered; P1 left 03-31 for a lasting job (P2's exit is in April)
        assertEquals(2, a.get("actions_entrees"));
        assertEquals(Map.of("1-2", 1, "2", 1), a.get("actions_entrees_par_axe"));
        assertEquals(1, a.get("actions_sorties"));
        assertEquals(Map.of("emploi-durable", 1), a.get("actions_sorties_par_motif"));
    }

    @Test
    public void perTerritory() {
        Indicators.Result r = march(null);
        assertEquals(List.of(Indicators.ALL, "Laon", "Soissons", "non renseigné"), List.copyOf(r.territories().keySet()));
        Map<String, Object> laon = r.territories().get("Laon");
        // P1 (10 d, in time) and P2 (38 d, late): median (10 + 38) / 2 = 24, 1 of 2 in time
        assertEquals(2, laon.get("entrees_droits_devoirs"));
        assertEquals(new BigDecimal("24"), laon.get("delai_orientation_median_jours"));
        assertEquals(new BigDecimal("0.5000"), laon.get("part_orientes_dans_le_mois"));
        assertEquals(1, laon.get("immersions"));
        assertEquals(0, laon.get("formations_entrees"));
        Map<String, Object> soissons = r.territories().get("Soissons");
        // P3 not oriented, P4 15 d: median 15; P4 oriented in March with its CER: 1 of 1
        assertEquals(new BigDecimal("15"), soissons.get("delai_orientation_median_jours"));
        assertEquals(new BigDecimal("1.0000"), soissons.get("part_cer_signe"));
        assertEquals(2, soissons.get("formations_entrees"));
        assertEquals(0, soissons.get("immersions"));
        Map<String, Object> none = r.territories().get("non renseigné");
        // P5: opened in February; oriented in March, its CER before: 0 of 1
        assertEquals(0, none.get("entrees_droits_devoirs"));
        assertNull(none.get("delai_orientation_median_jours"));
        assertNull(none.get("part_orientes_dans_le_mois"));
        assertEquals(new BigDecimal("0.0000"), none.get("part_cer_signe"));
        // one territory asked: only it
        assertEquals(List.of("Laon"), List.copyOf(march("Laon").territories().keySet()));
    }

    @Test
    public void theWholeYear() {
        Map<String, Object> a = Indicators.compute(data.events, data.files(), Indicators.Period.of(2027, null), null,
                FixedDataSet.ZONE).territories().get(Indicators.ALL);
        // opened in 2027: all five; delays 10, 13, 15, 38: median (13 + 15) / 2 = 14; in time: P1, P4, P5: 3 of 5
        assertEquals(5, a.get("entrees_droits_devoirs"));
        assertEquals(new BigDecimal("14"), a.get("delai_orientation_median_jours"));
        assertEquals(new BigDecimal("0.6000"), a.get("part_orientes_dans_le_mois"));
        // immersions of the year: C1 (35 h) and C3 (14 h): 49 h, 24.5 on average
        assertEquals(2, a.get("immersions"));
        assertEquals(new BigDecimal("49"), a.get("immersions_heures"));
        assertEquals(new BigDecimal("24.5"), a.get("immersions_duree_moyenne_heures"));
        // exits: P1 emploi-durable, P2 abandon
        assertEquals(Map.of("emploi-durable", 1, "abandon", 1), a.get("actions_sorties_par_motif"));
        // P3 registered at France Travail on 04-01 too
        assertEquals(2L, a.get("inscriptions_france_travail"));
    }

    @Test
    public void csvHasOneLinePerFigureAndBreakdown() {
        String csv = Indicators.csv(march("Laon"));
        String[] lines = csv.split("\r\n");
        assertEquals("annee,mois,territoire,indicateur,dimension,valeur", lines[0]);
        assertTrue(csv, csv.contains("\r\n2027,3,Laon,delai_orientation_median_jours,,24\r\n"));
        assertTrue(csv, csv.contains("\r\n2027,3,Laon,part_orientes_dans_le_mois,,0.5000\r\n"));
        assertTrue(csv, csv.contains("\r\n2027,3,Laon,orientations_par_parcours,PSP,1\r\n"));
        assertTrue(csv, csv.contains("\r\n2027,3,Laon,actions_sorties_par_motif,emploi-durable,1\r\n"));
        // a null figure is an empty cell, not "null"
        assertTrue(csv, !csv.contains("null"));
    }

    @Test
    public void withoutImmersionDataTheFiguresAreZeroWithANote() {
        data.events.removeIf(e -> e.type().startsWith("immersion."));
        Indicators.Result r = march(null);
        assertEquals(0, r.territories().get(Indicators.ALL).get("immersions"));
        assertTrue(r.notes().toString(), r.notes().stream().anyMatch(n -> n.contains("Immersion Facilitée")
                && n.contains("à zéro")));
    }

    @Test
    public void orientedOnTheDueDateIsWithinTheMonthADayLaterIsNot() {
        FixedDataSet d = new FixedDataSet();
        d.attr("A", "utas", "Guise");
        d.opened("A", "2027-05-03", "2027-06-03");
        d.event("orientation.decidee", "A", "2027-06-03", "parcours", "PSP");
        d.attr("B", "utas", "Guise");
        d.opened("B", "2027-05-04", "2027-06-04");
        d.event("orientation.decidee", "B", "2027-06-05", "parcours", "PSP");
        // a closed file still counts in the cohort of its month (the indicator is about what happened)
        d.opened("C", "2027-05-05", "2027-06-05");
        d.event("dossier.clos", "C", "2027-05-20");
        Map<String, Object> a = Indicators.compute(d.events, d.files(), Indicators.Period.of(2027, 5), null,
                FixedDataSet.ZONE).territories().get(Indicators.ALL);
        // A: 31 days, on its due date; B: 32 days, a day late; C: not oriented. 1 of 3; median (31 + 32) / 2 = 31.5
        assertEquals(3, a.get("entrees_droits_devoirs"));
        assertEquals(1L, a.get("orientes_dans_le_mois"));
        assertEquals(new BigDecimal("0.3333"), a.get("part_orientes_dans_le_mois"));
        assertEquals(new BigDecimal("31.5"), a.get("delai_orientation_median_jours"));
        // the orientations are in June, not in May
        assertEquals(0, a.get("orientations"));
    }

    @Test
    public void openingIsTheCafReferenceDateAndFranceTravailsOrientationIsReadBack() {
        FixedDataSet d = new FixedDataSet();
        // the CAF file of reference date 06-01 imported on 06-09: orientation_avant 07-01, opening 06-01
        d.opened("A", "2027-06-09", "2027-07-01");
        // oriented as France Travail read it back (attributes orientation, orientation_organisme, orientation_date)
        d.attr("A", "orientation", "PSO", "orientation_organisme", "CD", "orientation_date", "2027-06-21");
        d.opened("B", "2027-06-09", "2027-07-01");
        d.attr("B", "orientation", "PSP", "orientation_organisme", "XYZ", "orientation_date", "2027-07-02");
        Map<String, Object> june = Indicators.compute(d.events, d.files(), Indicators.Period.of(2027, 6), null,
                FixedDataSet.ZONE).territories().get(Indicators.ALL);
        // A: 20 days from 06-01 (not 12 from the import), in time; B: 31 days, a day late. Median (20 + 31) / 2
        assertEquals(2, june.get("entrees_droits_devoirs"));
        assertEquals(new BigDecimal("25.5"), june.get("delai_orientation_median_jours"));
        assertEquals(new BigDecimal("0.5000"), june.get("part_orientes_dans_le_mois"));
        // France Travail's code CD is the department; an unknown code is kept as it is
        assertEquals(Map.of("PSO", 1), june.get("orientations_par_parcours"));
        assertEquals(Map.of("departement", 1), june.get("orientations_par_organisme"));
        Map<String, Object> july = Indicators.compute(d.events, d.files(), Indicators.Period.of(2027, 7), null,
                FixedDataSet.ZONE).territories().get(Indicators.ALL);
        assertEquals(Map.of("XYZ", 1), july.get("orientations_par_organisme"));
    }

    @Test
    public void medianAndShare() {
        assertNull(Indicators.median(List.of()));
        assertEquals(new BigDecimal("7"), Indicators.median(List.of(7L)));
        assertEquals(new BigDecimal("7.5"), Indicators.median(List.of(7L, 8L)));
        assertNull(Indicators.share(1, 0));
        assertEquals(new BigDecimal("0.3333"), Indicators.share(1, 3));
    }
}
