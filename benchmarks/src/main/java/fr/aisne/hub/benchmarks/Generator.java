package fr.aisne.hub.benchmarks;

import java.nio.file.Path;

import fr.aisne.hub.doubles.caf.CafFluxGenerator;

/** Benchmark input: a monthly flux from the CAF double's generator. */
final class Generator {
    private Generator() {
    }

    static void monthly(int households, long seed, Path file) throws Exception {
        monthly(households, seed, 0, file);
    }

    /** The monthly flux of the same population {@code day} days later (files closed, suspended, new households). */
    static void monthly(int households, long seed, int day, Path file) throws Exception {
        new CafFluxGenerator().write(CafFluxGenerator.monthly(households, seed).day(day), file);
    }
}
