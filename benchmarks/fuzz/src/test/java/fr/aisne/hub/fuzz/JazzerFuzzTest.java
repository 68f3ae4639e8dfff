package fr.aisne.hub.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every target of {@link Targets} as a Jazzer {@code @FuzzTest}, judged by the {@link Oracle} through
 * {@link JazzerTarget#check}. In the build (no {@code JAZZER_FUZZ}) Jazzer runs in regression mode: each method runs
 * once per file of its inputs folder, {@code JazzerFuzzTestInputs/<method>/} on the test class path, which the pom
 * fills from {@code src/main/corpus/<target>/} (seeds and {@code regressions/}), plus an empty input; a crash fails
 * the build. {@link #generatedSeeds} does the same for the seeds made by code (the CAF double's fluxes). Fuzzing mode:
 * {@code JAZZER_FUZZ=1} with one method selected (README.md), or {@code fuzz.sh --jazzer}.
 */
class JazzerFuzzTest {
    @FuzzTest
    void cafReader(byte[] input) {
        JazzerTarget.check("caf.reader", input);
    }

    @FuzzTest
    void cafImport(byte[] input) {
        JazzerTarget.check("caf.import", input);
    }

    @FuzzTest
    void jsonWellFormed(byte[] input) {
        JazzerTarget.check("json.well-formed", input);
    }

    @FuzzTest
    void registryObservation(byte[] input) {
        JazzerTarget.check("registry.observation", input);
    }

    @FuzzTest
    void echoNote(byte[] input) {
        JazzerTarget.check("echo.note", input);
    }

    @FuzzTest
    void ftToken(byte[] input) {
        JazzerTarget.check("ft.token", input);
    }

    @FuzzTest
    void ftRechercherUsager(byte[] input) {
        JazzerTarget.check("ft.rechercher-usager", input);
    }

    @FuzzTest
    void ftAnswers(byte[] input) {
        JazzerTarget.check("ft.answers", input);
    }

    @FuzzTest
    void ftIntake(byte[] input) {
        JazzerTarget.check("ft.intake", input);
    }

    @FuzzTest
    void doraDirectory(byte[] input) {
        JazzerTarget.check("dora.directory", input);
    }

    @FuzzTest
    void doraOffre(byte[] input) {
        JazzerTarget.check("dora.offre", input);
    }

    @FuzzTest
    void ouiformCatalogue(byte[] input) {
        JazzerTarget.check("ouiform.catalogue", input);
    }

    @FuzzTest
    void ouiformPublication(byte[] input) {
        JazzerTarget.check("ouiform.publication", input);
    }

    @FuzzTest
    void ouiformIntake(byte[] input) {
        JazzerTarget.check("ouiform.intake", input);
    }

    @FuzzTest
    void ouiformSoap(byte[] input) {
        JazzerTarget.check("ouiform.soap", input);
    }

    @FuzzTest
    void ouiformAnswers(byte[] input) {
        JazzerTarget.check("ouiform.answers", input);
    }

    @FuzzTest
    void immersionConvention(byte[] input) {
        JazzerTarget.check("immersion.convention", input);
    }

    @FuzzTest
    void immersionWebhook(byte[] input) {
        JazzerTarget.check("immersion.webhook", input);
    }

    @FuzzTest
    void immersionDepartement(byte[] input) {
        JazzerTarget.check("immersion.departement", input);
    }

    @FuzzTest
    void urssafAccidents(byte[] input) {
        JazzerTarget.check("urssaf.accidents", input);
    }

    @FuzzTest
    void urssafPayroll(byte[] input) {
        JazzerTarget.check("urssaf.payroll", input);
    }

    @FuzzTest
    void aisneActifsDecisions(byte[] input) {
        JazzerTarget.check("aisne-actifs.decisions", input);
    }

    /** The seeds made by code, through the same check (they are not files, so Jazzer's regression mode misses them). */
    @TestFactory
    Stream<DynamicTest> generatedSeeds() {
        return Targets.all().stream().flatMap(t -> {
            List<Seeds.Seed> seeds = t.generatedSeeds();
            return seeds.stream().map(s -> DynamicTest.dynamicTest(t.name() + " " + s.name(),
                    () -> JazzerTarget.check(t.name(), s.bytes())));
        });
    }

    /** A target added to {@link Targets} without its {@code @FuzzTest} here would be fuzzed by one fuzzer only. */
    @Test
    void everyTargetHasItsFuzzTest() {
        TreeSet<String> targets = new TreeSet<>(Targets.all().stream().map(t -> camel(t.name())).toList());
        TreeSet<String> fuzzTests = new TreeSet<>(Arrays.stream(JazzerFuzzTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(FuzzTest.class)).map(Method::getName).toList());
        assertEquals(targets, fuzzTests, "one @FuzzTest per target of Targets, named after it (caf.reader: cafReader)");
    }

    /** A target's committed corpus folder is its @FuzzTest's inputs (the pom's testResources), else CI skips it. */
    @Test
    void everyCorpusFolderIsReplayed() {
        for (FuzzTarget t : Targets.all()) {
            if (java.nio.file.Files.isDirectory(java.nio.file.Paths.get("src/main/corpus", t.name()))) {
                assertNotNull(JazzerFuzzTest.class.getResource("JazzerFuzzTestInputs/" + camel(t.name())),
                        "src/main/corpus/" + t.name() + " is not mapped to JazzerFuzzTestInputs/" + camel(t.name())
                                + " in benchmarks/fuzz/pom.xml (testResources)");
            }
        }
    }

    private static String camel(String name) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : name.toCharArray()) {
            if (c == '.' || c == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
