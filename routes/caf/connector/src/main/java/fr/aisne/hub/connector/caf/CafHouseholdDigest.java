package fr.aisne.hub.connector.caf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * 64-bit fingerprints of CAF households: of the key (NUMORG/MATRICULE) and of everything the hub maps from
 * the household (not its line in the file). Two monthly files giving the same household the same content
 * give the same digest, so the second import can skip it. SHA-256, truncated: an accidental equality of a
 * household's old and new content is out of reach. Not thread-safe (one per import).
 */
public final class CafHouseholdDigest {
    private static final char SEP = '\u0001';
    private final MessageDigest sha;
    private final StringBuilder sb = new StringBuilder(512);

    public CafHouseholdDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public long key(String numorg, String matricule) {
        sb.setLength(0);
        sb.append(numorg).append('/').append(matricule);
        return hash();
    }

    public long content(CafFlux.Household h) {
        sb.setLength(0);
        add(h.numorg()).add(h.matricule()).add(h.ideparte()).add(h.numdemrsa()).add(h.dtdemrsa()).add(h.etatdosrsa())
                .add(h.motisus()).add(h.moticlorsa()).add(h.dtclorsa());
        for (CafFlux.Person p : h.persons()) {
            sb.append('\u0002');
            add(p.qual()).add(p.nom()).add(p.nomnai()).add(p.prenom()).add(p.dtnai()).add(p.nir()).add(p.sexe())
                    .add(p.rolepers()).add(p.idassedic()).add(p.soumisDroitsEtDevoirs());
        }
        return hash();
    }

    private CafHouseholdDigest add(Object v) {
        sb.append(v == null ? "\u0000" : v.toString()).append(SEP);
        return this;
    }

    private long hash() {
        byte[] d = sha.digest(sb.toString().getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(d, 0, Long.BYTES).getLong();
    }
}
