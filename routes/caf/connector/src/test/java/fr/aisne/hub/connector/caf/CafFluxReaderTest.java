package fr.aisne.hub.connector.caf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import fr.aisne.hub.doubles.caf.BadFlux;
import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.doubles.caf.Household;

/** The reader against the CAF double: what it reads is exactly what the double wrote; bad files fail whole. */
public class CafFluxReaderTest {
    private static final CafFluxReader READER = CafFluxReader.forCaf();
    private static final CafFluxGenerator GENERATOR = new CafFluxGenerator();

    @Test
    public void aMonthlyFluxIsReadHouseholdByHouseholdExactlyAsTheCafWroteIt() throws Exception {
        CafFluxGenerator.Spec spec = CafFluxGenerator.monthly(300, 7);
        List<Household> sent = new ArrayList<>();
        GENERATOR.forEachHousehold(spec, sent::add);
        List<CafFlux.Household> read = new ArrayList<>();
        List<CafFlux.Header> headers = new ArrayList<>();
        CafFlux.Summary summary = READER.read(new ByteArrayInputStream(GENERATOR.toBytes(spec)), "monthly.xml",
                new CafFlux.HouseholdHandler() {
                    @Override
                    public void household(CafFlux.Household h) {
                        read.add(h);
                    }

                    @Override
                    public void header(CafFlux.Header h) {
                        headers.add(h);
                    }
                });
        assertEquals(1, headers.size());
        assertEquals("CRI", headers.get(0).applieme());
        assertEquals("M", headers.get(0).typeflux());
        assertEquals(300, summary.households());
        assertEquals(300, summary.declaredHouseholds());
        assertEquals(sent.size(), read.size());
        int persons = 0;
        for (int i = 0; i < sent.size(); i++) {
            Household s = sent.get(i);
            CafFlux.Household r = read.get(i);
            assertEquals(s.numorg(), r.numorg());
            assertEquals("leading zeros kept", s.matricule(), r.matricule());
            assertEquals(s.numdemrsa(), r.numdemrsa());
            assertEquals(Integer.toString(s.situation().etat()), r.etatdosrsa());
            if (s.situation().etat() >= 5) {
                assertEquals(s.situation().date(), r.dtclorsa());
            }
            if (s.situation().etat() == 3 || s.situation().etat() == 4) {
                assertEquals(s.situation().motif(), r.motisus());
            }
            assertTrue("line of the household", r.line() > 1);
            assertEquals(s.persons().size(), r.persons().size());
            for (int p = 0; p < s.persons().size(); p++) {
                Household.Person sp = s.persons().get(p);
                CafFlux.Person rp = r.persons().get(p);
                assertEquals(sp.nir(), rp.nir());
                assertEquals(sp.nom(), rp.nom());
                assertEquals("accents survive windows-1252", sp.prenom(), rp.prenom());
                assertEquals(sp.dtnai(), rp.dtnai());
                assertEquals(sp.role(), rp.rolepers());
                assertEquals(sp.idassedic(), rp.idassedic());
                assertEquals(Boolean.TRUE.equals(sp.droitsEtDevoirs()), rp.soumisDroitsEtDevoirs());
            }
            persons += r.persons().size();
        }
        assertEquals(persons, summary.persons());
    }

    @Test
    public void aDailyFluxIsRead() throws Exception {
        CafFluxGenerator.Spec spec = CafFluxGenerator.daily(2000, 11).day(3);
        List<CafFlux.Household> read = new ArrayList<>();
        CafFlux.Summary summary = READER.read(new ByteArrayInputStream(GENERATOR.toBytes(spec)), "daily.xml", read::add);
        assertEquals("I", summary.header().typeflux());
        assertTrue(summary.households() > 0);
        assertEquals(summary.households(), read.size());
    }

    @Test
    public void wrongControlTotalsRejectTheFileAtTheTotal() {
        CafFluxException e = reject(BadFlux.wrongTotals());
        assertTrue(e.rule(), e.rule().startsWith("control total NBTOTDOSRSATRANSM is 4 but the file holds 3 households"));
        assertTrue(e.line() > 1);
    }

    @Test
    public void anMsaFluxIsRejectedByTheCafConnector() {
        CafFluxException e = reject(BadFlux.msa());
        assertTrue(e.rule(), e.rule().contains("APPLIEME AGO is not accepted"));
        assertTrue(e.line() > 1 && e.line() < 6);
    }

    @Test
    public void schemaViolationsNameTheElement() {
        CafFluxException e = reject(BadFlux.xsdInvalid());
        assertTrue(e.rule(), e.rule().startsWith("cvc-"));
        CafFluxException value = reject(BadFlux.xsdInvalidValue());
        assertTrue(value.rule(), value.rule().contains("cvc-datatype-valid") || value.rule().contains("cvc-type"));
    }

    @Test
    public void truncatedWrongEncodingBombAndEntitiesFromTheDoubleAreRejected() {
        assertTrue(reject(BadFlux.truncated()).rule().contains("truncated"));
        assertTrue(reject(BadFlux.wrongEncoding()).rule().contains("declared encoding"));
        assertTrue(reject(BadFlux.xmlBomb()).rule().contains("DOCTYPE"));
        assertTrue(reject(BadFlux.externalEntity()).rule().contains("DOCTYPE"));
        assertTrue(reject(BadFlux.notXml()).rule().startsWith("not XML"));
    }

    @Test
    public void aHandlerFailureStopsTheReadWithTheHouseholdLine() {
        CafFluxException e = assertThrows(CafFluxException.class, () -> READER.read(
                new ByteArrayInputStream(GENERATOR.toBytes(CafFluxGenerator.monthly(5, 1))), "m.xml", h -> {
                    throw new IllegalStateException("registry unavailable");
                }));
        assertTrue(e.rule(), e.rule().contains("household refused by the import: registry unavailable"));
        assertTrue(e.line() > 1);
    }

    private static CafFluxException reject(byte[] file) {
        return assertThrows(CafFluxException.class,
                () -> READER.read(new ByteArrayInputStream(file), "bad.xml", h -> { }));
    }
}
