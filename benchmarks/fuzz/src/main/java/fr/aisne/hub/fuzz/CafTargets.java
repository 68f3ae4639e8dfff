package fr.aisne.hub.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import fr.aisne.hub.connector.caf.CafFluxException;
import fr.aisne.hub.connector.caf.CafFluxImporter;
import fr.aisne.hub.connector.caf.CafFluxReader;
import fr.aisne.hub.doubles.caf.BadFlux;
import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The CAF flux: the reader (parse, XSD validation, totals, mapping) and the importer's first pass (the same read,
 * household digests, the spool of households to record, read back for the registry). Seeds: small monthly and daily
 * fluxes of the CAF double's generator, and every bad case of {@link BadFlux}.
 */
final class CafTargets {
    private static final String FILE = "fuzz.xml";

    private CafTargets() {
    }

    static FuzzTarget reader() {
        return FuzzTarget.named("caf.reader", "CafFluxReader: vrsb0801 XML, XSD, totals, mapping (CafFluxException)")
                .tokens(Tokens.CAF_XML).seeds(CafTargets::seeds)
                .parser(() -> {
                    CafFluxReader reader = CafFluxReader.forCaf();
                    return in -> reader.read(new ByteArrayInputStream(in), FILE, h -> { });
                }, FuzzTarget.Refusals.of(CafFluxException.class, CafFluxException::rule));
    }

    /**
     * CafFluxImporter pass 1 (no database: skipUnchanged off, so no known digests are read). The registry given
     * stops the import when pass 2 starts: reaching it means the file was accepted, spooled and read back.
     */
    static FuzzTarget importFirstPass() {
        return FuzzTarget.named("caf.import", "CafFluxImporter pass 1: read, digests, spool written and read back")
                .tokens(Tokens.CAF_XML).seeds(CafTargets::seeds)
                .parser(() -> {
                    try {
                        Path spool = Files.createDirectories(Paths.get(System.getProperty("fuzz.out", "target/fuzz"))
                                .resolve("caf.import").resolve("spool"));
                        PersonRegistry stop = (PersonRegistry) Proxy.newProxyInstance(PersonRegistry.class.getClassLoader(),
                                new Class<?>[] {PersonRegistry.class}, (p, m, a) -> {
                                    if (m.getDeclaringClass() == Object.class) {
                                        return m.getName().equals("hashCode") ? 0 : m.getName().equals("equals") ? p == a[0] : "stop";
                                    }
                                    throw new SecondPass();
                                });
                        CafFluxImporter importer = new CafFluxImporter(CafFluxReader.forCaf(), stop, null,
                                (key, events) -> { }, spool, false, 500);
                        return in -> {
                            try {
                                importer.importFile(() -> new ByteArrayInputStream(in), in.length, "fuzz-exchange", FILE,
                                        progress -> { });
                            } catch (SecondPass accepted) {
                                // pass 1 accepted the file and handed its first batch to the registry
                            }
                        };
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, FuzzTarget.Refusals.of(CafFluxException.class, CafFluxException::rule));
    }

    /** Thrown by the registry stand-in: pass 1 is over. */
    private static final class SecondPass extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SecondPass() {
            super("pass 2 reached", null, false, false);
        }
    }

    static List<Seeds.Seed> seeds() {
        CafFluxGenerator g = new CafFluxGenerator();
        List<Seeds.Seed> s = new ArrayList<>();
        s.add(new Seeds.Seed("generated monthly-0", g.toBytes(CafFluxGenerator.monthly(0, 1))));
        s.add(new Seeds.Seed("generated monthly-1", g.toBytes(CafFluxGenerator.monthly(1, 7))));
        s.add(new Seeds.Seed("generated monthly-3", g.toBytes(BadFlux.DEFAULT_BASE)));
        s.add(new Seeds.Seed("generated monthly-12", g.toBytes(CafFluxGenerator.monthly(12, 42))));
        s.add(new Seeds.Seed("generated daily-8-day3", g.toBytes(CafFluxGenerator.daily(8, 42).day(3))));
        s.add(new Seeds.Seed("generated msa-2", g.toBytes(CafFluxGenerator.monthly(2, 5).msa())));
        s.add(new Seeds.Seed("bad xsd-invalid", BadFlux.xsdInvalid()));
        s.add(new Seeds.Seed("bad xsd-invalid-value", BadFlux.xsdInvalidValue()));
        s.add(new Seeds.Seed("bad wrong-totals", BadFlux.wrongTotals()));
        s.add(new Seeds.Seed("bad truncated", BadFlux.truncated()));
        s.add(new Seeds.Seed("bad not-xml", BadFlux.notXml()));
        s.add(new Seeds.Seed("bad xml-bomb", BadFlux.xmlBomb()));
        s.add(new Seeds.Seed("bad external-entity", BadFlux.externalEntity()));
        s.add(new Seeds.Seed("bad wrong-encoding", BadFlux.wrongEncoding()));
        return s;
    }
}
