package fr.aisne.hub.fuzz;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
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

    /** The seeds made by code, through the same check (they are not files, so Jazzer's regression mode misses them). */
    @TestFactory
    Stream<DynamicTest> generatedSeeds() {
        return Targets.all().stream().flatMap(t -> {
            List<Seeds.Seed> seeds = t.generatedSeeds();
            return seeds.stream().map(s -> DynamicTest.dynamicTest(t.name() + " " + s.name(),
                    () -> JazzerTarget.check(t.name(), s.bytes())));
        });
    }
}
