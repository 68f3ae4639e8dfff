package fr.aisne.hub.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where a target's first inputs come from: the files of its corpus folder, and seeds made by code. */
public final class Seeds {
    /** One starting input (name: its file, or what made it). */
    public record Seed(String name, byte[] bytes) {
    }

    private Seeds() {
    }

    /** Every regular file under {@code folder} (README.md files excepted), in a stable order; none if absent. */
    public static List<Seed> files(Path folder) {
        List<Seed> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                if (!p.getFileName().toString().equalsIgnoreCase("README.md")) {
                    out.add(new Seed(folder.relativize(p).toString(), Files.readAllBytes(p)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
