package fr.aisne.hub.connector.caf;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The households of a file that must be recorded, set aside on disk while the rest of the file is still being
 * validated: the file is read once, and the registry is touched only once the whole file is known to be good.
 * Binary, owner-only (it holds NIRs, like the journaled payload it comes from), deleted after the import.
 */
final class CafSpool implements Closeable {
    /** A household set aside, with the content digest computed when it was read (not computed again). */
    record Spooled(CafFlux.Household household, long digest) {
    }

    private final Path file;
    private DataOutputStream out;
    private DataInputStream in;
    private int written;

    CafSpool(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path f;
        try {
            f = Files.createTempFile(directory, "caf-", ".spool",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            f = Files.createTempFile(directory, "caf-", ".spool");
        }
        this.file = f;
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    /** Deletes the spools a killed hub left behind (their import is replayed from the journal). */
    static int discardLeftovers(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int n = 0;
        try (var files = Files.newDirectoryStream(directory, "caf-*.spool")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                n++;
            }
        }
        return n;
    }

    int size() {
        return written;
    }

    void write(CafFlux.Household h, long digest) throws IOException {
        out.writeLong(digest);
        out.writeInt(h.line());
        str(h.numorg());
        str(h.matricule());
        str(h.ideparte());
        str(h.numdemrsa());
        date(h.dtdemrsa());
        str(h.etatdosrsa());
        str(h.motisus());
        str(h.moticlorsa());
        date(h.dtclorsa());
        out.writeShort(h.persons().size());
        for (CafFlux.Person p : h.persons()) {
            str(p.qual());
            str(p.nom());
            str(p.nomnai());
            str(p.prenom());
            date(p.dtnai());
            str(p.nir());
            str(p.sexe());
            str(p.rolepers());
            str(p.idassedic());
            out.writeBoolean(p.soumisDroitsEtDevoirs());
        }
        written++;
    }

    /** Switches to reading, from the first household written. */
    void rewind() throws IOException {
        out.close();
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    /** Up to {@code max} households, empty at the end. */
    List<Spooled> next(int max) throws IOException {
        List<Spooled> batch = new ArrayList<>(max);
        while (batch.size() < max) {
            long digest;
            try {
                digest = in.readLong();
            } catch (EOFException end) {
                break;
            }
            int line = in.readInt();
            String numorg = str();
            String matricule = str();
            String ideparte = str();
            String numdemrsa = str();
            LocalDate dtdemrsa = date();
            String etat = str();
            String motisus = str();
            String moticlorsa = str();
            LocalDate dtclorsa = date();
            int n = in.readShort();
            List<CafFlux.Person> persons = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                persons.add(new CafFlux.Person(str(), str(), str(), str(), date(), str(), str(), str(), str(),
                        in.readBoolean()));
            }
            batch.add(new Spooled(new CafFlux.Household(line, numorg, matricule, ideparte, numdemrsa, dtdemrsa, etat,
                    motisus, moticlorsa, dtclorsa, persons), digest));
        }
        return batch;
    }

    private void str(String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private String str() throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private void date(LocalDate d) throws IOException {
        out.writeLong(d == null ? Long.MIN_VALUE : d.toEpochDay());
    }

    private LocalDate date() throws IOException {
        long v = in.readLong();
        return v == Long.MIN_VALUE ? null : LocalDate.ofEpochDay(v);
    }

    @Override
    public void close() throws IOException {
        try {
            if (in != null) {
                in.close();
            } else {
                out.close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
