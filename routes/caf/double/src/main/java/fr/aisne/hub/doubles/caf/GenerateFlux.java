package fr.aisne.hub.doubles.caf;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

import fr.aisne.hub.doubles.caf.CafFluxGenerator.Spec;
import fr.aisne.hub.doubles.caf.CafFluxGenerator.Summary;

/**
 * Command line of the CAF flux generator.
 * <pre>
 * GenerateFlux --households N --type M|I --seed S --out FILE [--day D] [--reference-date YYYY-MM-DD]
 *              [--msa] [--wrong-totals]
 *              [--bad xsd-invalid|wrong-totals|truncated|not-xml|xml-bomb|external-entity|wrong-encoding|msa
 *                     |huge-element|huge-cdata|huge-comment|bad-nir-value|bad-date-value]
 * </pre>
 * Defaults: 100 households, type M, seed 1, day 0 for M and 1 for I. A relative {@code --out} is resolved against the
 * system property {@code generateflux.basedir} when set (the module folder under {@code mvn exec:java}), else the
 * working directory. Prints what it wrote: path, households, persons, bytes, time and rate.
 * <pre>
 * ./mvnw -q -pl routes/caf/double exec:java -Dexec.args="--households 16000 --type M --out target/flux-16000.xml"
 * </pre>
 */
public final class GenerateFlux {
    static final String USAGE = "usage: GenerateFlux --households N --type M|I --seed S --out FILE [--day D]"
            + " [--reference-date YYYY-MM-DD] [--msa] [--wrong-totals]"
            + " [--bad xsd-invalid|wrong-totals|truncated|not-xml|xml-bomb|external-entity|wrong-encoding|msa"
            + "|huge-element|huge-cdata|huge-comment|bad-nir-value|bad-date-value]";

    private GenerateFlux() {
    }

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** Runs the command; returns the exit code (0 done, 1 I/O error, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        int households = 100;
        String type = "M";
        long seed = 1;
        Integer day = null;
        LocalDate reference = null;
        String file = null;
        String bad = null;
        boolean msa = false;
        boolean wrongTotals = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--households":
                        households = Integer.parseInt(value(args, ++i, a));
                        break;
                    case "--type":
                        type = value(args, ++i, a).toUpperCase(Locale.ROOT);
                        break;
                    case "--seed":
                        seed = Long.parseLong(value(args, ++i, a));
                        break;
                    case "--day":
                        day = Integer.parseInt(value(args, ++i, a));
                        break;
                    case "--reference-date":
                        reference = LocalDate.parse(value(args, ++i, a));
                        break;
                    case "--out":
                        file = value(args, ++i, a);
                        break;
                    case "--bad":
                        bad = value(args, ++i, a);
                        break;
                    case "--msa":
                        msa = true;
                        break;
                    case "--wrong-totals":
                        wrongTotals = true;
                        break;
                    case "-h":
                    case "--help":
                        out.println(USAGE);
                        return 0;
                    default:
                        throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("--out is required");
            }
            if (!type.equals("M") && !type.equals("I")) {
                throw new IllegalArgumentException("--type must be M (monthly) or I (daily)");
            }
            Spec spec = type.equals("M") ? CafFluxGenerator.monthly(households, seed)
                    : CafFluxGenerator.daily(households, seed);
            if (day != null) {
                spec = spec.day(day);
            }
            if (reference != null) {
                spec = spec.referenceDate(reference);
            }
            if (msa) {
                spec = spec.msa();
            }
            if (wrongTotals) {
                spec = spec.wrongTotals();
            }
            BadFlux.Case badCase = bad == null ? null : BadFlux.Case.fromCliName(bad);
            return generate(spec, badCase, resolve(file), out, err);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            err.println("GenerateFlux: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static int generate(Spec spec, BadFlux.Case bad, Path path, PrintStream out, PrintStream err) {
        long start = System.nanoTime();
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (bad != null) {
                BadFlux.write(bad, spec, path);
                long ms = (System.nanoTime() - start) / 1_000_000;
                out.printf(Locale.ROOT, "wrote %s: bad case %s (from TYPEFLUX %s, %d households, seed %d, day %d),"
                        + " %d bytes in %d ms%n", path.toAbsolutePath(), bad.cliName(), spec.type().code(),
                        spec.households(), spec.seed(), spec.day(), Files.size(path), ms);
                return 0;
            }
            Summary summary;
            try (OutputStream os = Files.newOutputStream(path)) {
                summary = new CafFluxGenerator().writeAndCount(spec, os);
            }
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            out.printf(Locale.ROOT, "wrote %s: TYPEFLUX %s, APPLIEME %s, seed %d, day %d (DTREF %s), %d households,"
                    + " %d persons, %d bytes in %d ms (%.0f households/s, %.1f MB/s)%n", path.toAbsolutePath(),
                    spec.type().code(), spec.organism().applieme(), spec.seed(), spec.day(), spec.fluxDate(),
                    summary.households(), summary.persons(), summary.bytes(), Math.round(seconds * 1000),
                    summary.households() / seconds, summary.bytes() / seconds / 1e6);
            return 0;
        } catch (IOException e) {
            err.println("GenerateFlux: cannot write " + path + ": " + e);
            return 1;
        }
    }

    private static Path resolve(String file) {
        Path p = Path.of(file);
        String base = System.getProperty("generateflux.basedir");
        return p.isAbsolute() || base == null || base.isBlank() ? p : Path.of(base).resolve(p);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
