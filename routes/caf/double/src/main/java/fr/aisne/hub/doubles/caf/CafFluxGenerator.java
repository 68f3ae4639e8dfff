package fr.aisne.hub.doubles.caf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;
import java.util.function.Consumer;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import fr.aisne.hub.doubles.caf.Household.Address;
import fr.aisne.hub.doubles.caf.Household.Event;
import fr.aisne.hub.doubles.caf.Household.Person;
import fr.aisne.hub.doubles.caf.Household.Situation;

/**
 * Writes CAF "RSA bénéficiaires" fluxes (CNAF schema {@code vrsb0801.xsd}, no namespace, windows-1252) for the
 * Département de l'Aisne: valid, realistic, deterministic, streamed (constant memory whatever the size).
 *
 * <pre>{@code
 * CafFluxGenerator gen = new CafFluxGenerator();
 * gen.write(CafFluxGenerator.monthly(16_000, 42), Path.of("RSABEM.xml"));          // TYPEFLUX M, day 0
 * gen.write(CafFluxGenerator.daily(16_000, 42).day(3), Path.of("RSABEI_3.xml"));   // TYPEFLUX I, what changed on day 3
 * gen.write(CafFluxGenerator.monthly(16_000, 42).msa(), out);                       // an MSA file (APPLIEME AGO)
 * gen.write(CafFluxGenerator.monthly(50, 42).wrongTotals(), out);                   // NBTOTDOSRSATRANSM off by one
 * }</pre>
 *
 * <h2>The simulated population</h2>
 * A seed defines a population: {@code households} households on day 0 (the reference date), plus about 0.2% new
 * ones every following day. Each day about 3% of the households have an event: a decision on a new request
 * (0 -> 2 or 1), a suspension (2 -> 3 with SuspensionDroit, 2 -> 4 with SuspensionVersement), a closure (2/3/4 -> 5
 * with FinDroit MOTICLORSA + DTCLORSA), a reopening (3/4 -> 2), a regularisation of a right closed on an earlier
 * month (5 -> 6), a newborn child, a move, a quarterly resources update.
 * <ul>
 * <li>{@code monthly(n, seed).day(d)} (TYPEFLUX M) holds every household existing on day d, in its situation of day d
 * (n households on day 0);</li>
 * <li>{@code daily(n, seed).day(d)}, d &gt;= 1 (TYPEFLUX I) holds only the households that changed on day d and
 * the households created that day, each with its {@code Evenement} (DTLIQ, HEULIQ, FG).</li>
 * </ul>
 * A household is identical (matricule, NUMDEMRSA, persons, NIRs) in every flux of the same seed; its situation in the
 * daily flux of day d equals its situation in the monthly flux of day d. Same spec, same bytes (no clock is read:
 * DTCREAFLUX and DTREF are the reference date plus the day).
 *
 * <h2>What each household carries</h2>
 * IdentificationRSA (Organisme FONORG/NUMORG {@code 021}/MATRICULE on 15 digits, Partenaire {@code CG  }/{@code 002},
 * DemandeRSA), 1..n Personne (DEM, CJT, rarely AUT, 0..6 ENF; Identification with accented names, NIR on 13
 * characters consistent with sex and birth date, mostly born in the Aisne; DossierCAF; the two Prestations PFA and RSA
 * the schema demands; DossierPoleEmploi/IDASSEDIC for about half of the adults; MontantCalculDroitRSAPersonne/
 * TOPPERSDRODEVORSA for adults), DonneesAdministratives (SituationFamille, Adresse in the Aisne), PrestationRSA
 * (SituationDossierRSA with ETATDOSRSA and its Refus / SuspensionDroit / SuspensionVersement / FinDroit /
 * FinDroitMoisAnterieur block, DetailDroitRSA/TroncCommunDroitRSA). Other optional blocks (Ressources, Activite...)
 * are not generated. See {@link Household} for the values.
 */
public class CafFluxGenerator {
    /** The encoding of every CAF flux. */
    public static final String ENCODING = "windows-1252";
    /** Default reference date (day 0) of a spec. */
    public static final LocalDate DEFAULT_REFERENCE_DATE = LocalDate.of(2025, 5, 31);

    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    /** TYPEFLUX. */
    public enum Type {
        /** Monthly flux: every household of the month. */
        MONTHLY("M"),
        /** Daily ("infra-mensuel") flux: the households that changed that day. */
        DAILY("I");

        private final String code;

        Type(String code) {
            this.code = code;
        }

        /** The TYPEFLUX value. */
        public String code() {
            return code;
        }
    }

    /** The sender: APPLIEME, FONORG and NUMORG. */
    public enum Organism {
        /** CAF de l'Aisne: APPLIEME CRI (Cristal), FONORG CAF, NUMORG 021. */
        CAF("CRI", "CAF", "021"),
        /** MSA: APPLIEME AGO (Agora), FONORG MSA (the organism number is the double's choice). */
        MSA("AGO", "MSA", "027");

        private final String applieme;
        private final String fonorg;
        private final String numorg;

        Organism(String applieme, String fonorg, String numorg) {
            this.applieme = applieme;
            this.fonorg = fonorg;
            this.numorg = numorg;
        }

        public String applieme() {
            return applieme;
        }

        public String fonorg() {
            return fonorg;
        }

        public String numorg() {
            return numorg;
        }
    }

    /**
     * What to generate; immutable, each option returns a new spec.
     *
     * @param type          monthly or daily
     * @param households    size of the population on day 0 (a monthly flux of day 0 holds exactly that many)
     * @param seed          the population
     * @param day           days after the reference date (0 for a monthly flux by default, &gt;= 1 for a daily one)
     * @param referenceDate day 0
     * @param organism      CAF (default) or MSA
     * @param totalsOffset  added to NBTOTDOSRSATRANSM (0 for a correct file)
     */
    public record Spec(Type type, int households, long seed, int day, LocalDate referenceDate, Organism organism,
            int totalsOffset) {
        public Spec {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(referenceDate, "referenceDate");
            Objects.requireNonNull(organism, "organism");
            if (households < 0) {
                throw new IllegalArgumentException("households must be >= 0");
            }
            if (day < 0 || (type == Type.DAILY && day < 1)) {
                throw new IllegalArgumentException("day must be >= 0, and >= 1 for a daily flux");
            }
        }

        /** The flux of day {@code day} after the reference date. */
        public Spec day(int day) {
            return new Spec(type, households, seed, day, referenceDate, organism, totalsOffset);
        }

        /** Day 0 of the population (default {@link CafFluxGenerator#DEFAULT_REFERENCE_DATE}). */
        public Spec referenceDate(LocalDate date) {
            return new Spec(type, households, seed, day, date, organism, totalsOffset);
        }

        /** An MSA file: APPLIEME AGO, FONORG MSA (the department must not take it for a CAF file). */
        public Spec msa() {
            return new Spec(type, households, seed, day, referenceDate, Organism.MSA, totalsOffset);
        }

        /** NBTOTDOSRSATRANSM one more than the number of InfosFoyerRSA (the file is otherwise valid). */
        public Spec wrongTotals() {
            return new Spec(type, households, seed, day, referenceDate, organism, totalsOffset + 1);
        }

        /** DTREF and DTCREAFLUX of this flux. */
        public LocalDate fluxDate() {
            return referenceDate.plusDays(day);
        }
    }

    /** What {@link #writeAndCount} wrote. */
    public record Summary(long households, long persons, long bytes) {
    }

    /** A monthly flux (TYPEFLUX M) of {@code households} households, day 0. */
    public static Spec monthly(int households, long seed) {
        return new Spec(Type.MONTHLY, households, seed, 0, DEFAULT_REFERENCE_DATE, Organism.CAF, 0);
    }

    /** A daily flux (TYPEFLUX I) of the population of {@code households} households, day 1 (see {@link Spec#day}). */
    public static Spec daily(int households, long seed) {
        return new Spec(Type.DAILY, households, seed, 1, DEFAULT_REFERENCE_DATE, Organism.CAF, 0);
    }

    /** Writes the flux to {@code out} (buffered, flushed, not closed). */
    public void write(Spec spec, OutputStream out) throws IOException {
        writeAndCount(spec, out);
    }

    /** Writes the flux to {@code file} (parent folders created, file replaced) and returns it. */
    public Path write(Spec spec, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            writeAndCount(spec, out);
        }
        return file;
    }

    /** The same bytes as {@link #write(Spec, OutputStream)}, as an array (small fluxes, tests). */
    public byte[] toBytes(Spec spec) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeAndCount(spec, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The households of the flux, in file order, as written (for tests comparing what a connector read). */
    public void forEachHousehold(Spec spec, Consumer<Household> action) {
        Population population = population(spec);
        if (spec.type() == Type.MONTHLY) {
            population.monthly(spec.day(), action);
        } else {
            population.daily(spec.day(), action);
        }
    }

    /** Writes the flux to {@code out} (flushed, not closed) and says how many households, persons and bytes. */
    public Summary writeAndCount(Spec spec, OutputStream out) throws IOException {
        CountingStream counting = new CountingStream(out);
        BufferedOutputStream buffered = new BufferedOutputStream(counting, 1 << 16);
        long[] counts = new long[2];
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(buffered, ENCODING);
            Population population = population(spec);
            header(w, spec, population);
            forEachHousehold(spec, h -> {
                try {
                    household(w, h);
                } catch (XMLStreamException e) {
                    throw new FluxException(e);
                }
                counts[0]++;
                counts[1] += h.persons().size();
            });
            w.writeStartElement("TransmissionFlux");
            nl(w);
            el(w, "NBTOTDOSRSATRANSM", Population.digits(counts[0] + spec.totalsOffset(), 8));
            el(w, "NBTOTDOSRSATRANSMANO", "00000000");
            close(w);
            close(w); // Racine
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the CAF flux", e);
        } catch (FluxException e) {
            throw new IOException("cannot write the CAF flux", e.getCause());
        }
        buffered.flush();
        return new Summary(counts[0], counts[1], counting.count);
    }

    private static Population population(Spec spec) {
        return new Population(spec.seed(), spec.households(), spec.referenceDate(), spec.organism().fonorg(),
                spec.organism().numorg());
    }

    private static void header(XMLStreamWriter w, Spec spec, Population population) throws XMLStreamException {
        w.writeStartDocument(ENCODING, "1.0");
        nl(w);
        w.writeStartElement("Racine");
        w.writeNamespace("xsi", XSI);
        w.writeAttribute("xsi", XSI, "noNamespaceSchemaLocation", "vrsb0801.xsd");
        nl(w);
        open(w, "IdentificationFlux");
        el(w, "APPLIEME", spec.organism().applieme());
        el(w, "NUMVERSIONAPPLIEME", "6200");
        el(w, "TYPEFLUX", spec.type().code());
        el(w, "NATFLUX", "D");
        el(w, "DTCREAFLUX", spec.fluxDate().toString());
        el(w, "HEUCREAFLUX", population.fluxTime(spec.day()));
        el(w, "DTREF", spec.fluxDate().toString());
        close(w);
    }

    private static void household(XMLStreamWriter w, Household h) throws XMLStreamException {
        open(w, "InfosFoyerRSA");
        open(w, "IdentificationRSA");
        open(w, "Organisme");
        el(w, "FONORG", h.fonorg());
        el(w, "NUMORG", h.numorg());
        el(w, "MATRICULE", h.matricule());
        close(w);
        open(w, "Partenaire");
        el(w, "TYPEPARTE", "CG  ");
        el(w, "IDEPARTE", "002");
        close(w);
        open(w, "DemandeRSA");
        el(w, "DTDEMRSA", h.dtdemrsa().toString());
        el(w, "NUMDEMRSA", h.numdemrsa());
        close(w);
        close(w);
        for (Person p : h.persons()) {
            person(w, p);
        }
        open(w, "DonneesAdministratives");
        open(w, "SituationFamille");
        el(w, "SITFAM", h.sitfam());
        el(w, "DDSITFAM", h.ddsitfam().toString());
        close(w);
        for (Address a : h.addresses()) {
            address(w, a);
        }
        close(w);
        open(w, "PrestationRSA");
        open(w, "SituationDossierRSA");
        Situation s = h.situation();
        open(w, "EtatDossierRSA");
        el(w, "ETATDOSRSA", Integer.toString(s.etat()));
        close(w);
        switch (s.etat()) {
            case 1:
                open(w, "Refus");
                el(w, "DTREFURSA", s.date().toString());
                el(w, "MOTIREFURSA", s.motif());
                close(w);
                break;
            case 3:
                open(w, "SuspensionDroit");
                el(w, "MOTISUSDRORSA", s.motif());
                el(w, "DDSUSDRORSA", s.date().toString());
                close(w);
                break;
            case 4:
                open(w, "SuspensionVersement");
                el(w, "MOTISUSVERSRSA", s.motif());
                el(w, "DDSUSVERSRSA", s.date().toString());
                close(w);
                break;
            case 5:
            case 6:
                open(w, s.etat() == 5 ? "FinDroit" : "FinDroitMoisAnterieur");
                el(w, "MOTICLORSA", s.motif());
                el(w, "DTCLORSA", s.date().toString());
                close(w);
                break;
            default:
                break;
        }
        close(w);
        open(w, "DetailDroitRSA");
        open(w, "TroncCommunDroitRSA");
        el(w, "TOPSANSDOMFIXE", h.sansDomicileFixe() ? "1" : "0");
        el(w, "NBENFAUTCHA", Population.digits(h.children(), 2));
        el(w, "ORIDEMRSA", h.oridemrsa());
        el(w, "TOPFOYDRODEVORSA", h.foyerDroitsEtDevoirs() ? "1" : "0");
        close(w);
        close(w);
        close(w);
        for (Event e : h.events()) {
            open(w, "Evenement");
            el(w, "DTLIQ", e.dtliq().toString());
            el(w, "HEULIQ", e.heuliq());
            el(w, "FG", e.fg());
            close(w);
        }
        close(w);
    }

    private static void person(XMLStreamWriter w, Person p) throws XMLStreamException {
        open(w, "Personne");
        open(w, "Identification");
        if (p.qual() != null) {
            el(w, "QUAL", p.qual());
        }
        el(w, "NOM", p.nom());
        el(w, "NOMNAI", p.nomnai());
        el(w, "PRENOM", p.prenom());
        if (p.prenom2() != null) {
            el(w, "PRENOM2", p.prenom2());
        }
        el(w, "NOMCOMNAI", p.nomcomnai());
        el(w, "DTNAI", p.dtnai().toString());
        el(w, "TYPEDTNAI", "N");
        if (p.nir() != null) {
            el(w, "NIR", p.nir());
            el(w, "TOPVALIEC", "1");
        }
        el(w, "SEXE", String.valueOf(p.sexe()));
        close(w);
        open(w, "DossierCAF");
        el(w, "TOPRESPDOS", p.respDossier() ? "1" : "0");
        el(w, "DDRATDOS", p.ddratdos().toString());
        close(w);
        boolean child = p.role().equals("ENF");
        prestation(w, "PFA", p.role(), child);
        prestation(w, "RSA", p.role(), true);
        if (p.idassedic() != null) {
            open(w, "DossierPoleEmploi");
            el(w, "IDASSEDIC", p.idassedic());
            close(w);
        }
        if (p.droitsEtDevoirs() != null) {
            open(w, "MontantCalculDroitRSAPersonne");
            el(w, "TOPPERSDRODEVORSA", p.droitsEtDevoirs() ? "1" : "0");
            close(w);
        }
        close(w);
    }

    private static void prestation(XMLStreamWriter w, String nature, String role, boolean aCharge)
            throws XMLStreamException {
        open(w, "Prestations");
        el(w, "NATPREST", nature);
        el(w, "ROLEPERS", role);
        el(w, "TOPCHAPERS", aCharge ? "1" : "0");
        close(w);
    }

    private static void address(XMLStreamWriter w, Address a) throws XMLStreamException {
        open(w, "Adresse");
        open(w, "TroncCommunAdresse");
        el(w, "RGADR", Population.digits(a.rank(), 2));
        el(w, "DTEMM", a.dtemm().toString());
        el(w, "PAYS", "FRA");
        el(w, "TYPEADR", "D");
        el(w, "ETATADR", "CO");
        close(w);
        open(w, "AdresseDetailleeFrance");
        el(w, "COMPLIDEADR", a.complIdeAdr());
        el(w, "COMPLADR", a.complAdr());
        el(w, "NUMVOIE", a.numVoie());
        el(w, "LIBTYPEVOIE", a.libTypeVoie());
        el(w, "NOMVOIE", a.nomVoie());
        el(w, "LIEUDIST", a.lieuDist());
        el(w, "NUMCOM", a.numCom());
        el(w, "CODEPOS", a.codePos());
        el(w, "NOMCOM", a.nomCom());
        close(w);
        close(w);
    }

    // The real files have one element per line, no indentation.
    private static void open(XMLStreamWriter w, String name) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters("\n");
    }

    private static void close(XMLStreamWriter w) throws XMLStreamException {
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    private static void el(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    private static void nl(XMLStreamWriter w) throws XMLStreamException {
        w.writeCharacters("\n");
    }

    private static final class FluxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FluxException(XMLStreamException cause) {
            super(cause);
        }
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            flush(); // never closes the caller's stream
        }
    }
}
