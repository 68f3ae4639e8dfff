package fr.aisne.hub.registry.internal;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.Json;

/**
 * At start, re-seals the NIRs that earlier versions encrypted with one label for every row ("v1:") so that each is
 * bound to its row ("v2:", {@link NirVault#encrypt}): the persons' NIRs (reg_nir) and the NIRs of the observations
 * waiting for an operator (reg_match_candidate). In batches, each in one transaction; a row is rewritten only if it
 * still holds the value read, so a second run, or one after a stop midway, changes nothing already done. A v1 value
 * that does not open (altered, other key) is left as it is and counted: it did not open before either.
 */
final class NirResealing {
    private static final Logger LOG = LoggerFactory.getLogger(NirResealing.class);
    private static final int BATCH = 500;

    /** What a run did: rows re-sealed, and v1 values that could not be opened. */
    record Result(int persons, int candidates, int unreadable) {
    }

    private NirResealing() {
    }

    static Result run(Jdbc db, NirVault vault) {
        int persons = 0;
        int unreadable = 0;
        String after = "";
        while (true) {
            String from = after;
            List<String[]> rows = db.query("SELECT person_id, nir_encrypted FROM reg_nir WHERE nir_encrypted LIKE 'v1:%' "
                    + "AND person_id > ? ORDER BY person_id FETCH FIRST " + BATCH + " ROWS ONLY",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, from);
            if (rows.isEmpty()) {
                break;
            }
            int[] done = db.inTransaction(() -> {
                int ok = 0;
                int bad = 0;
                for (String[] r : rows) {
                    String sealed = reseal(vault, r[1], NirVault.person(r[0]));
                    if (sealed == null) {
                        bad++;
                    } else {
                        ok += db.update("UPDATE reg_nir SET nir_encrypted = ? WHERE person_id = ? AND nir_encrypted = ?",
                                sealed, r[0], r[1]);
                    }
                }
                return new int[] {ok, bad};
            });
            persons += done[0];
            unreadable += done[1];
            after = rows.get(rows.size() - 1)[0];
        }
        int candidates = 0;
        for (String[] r : db.query("SELECT id, observation FROM reg_match_candidate WHERE observation LIKE ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, "%\"nirEncrypted\":\"" + NirVault.V1 + "%")) {
            RegistryService.Stored stored = RegistryService.fromJson(r[1]);
            String sealed = reseal(vault, stored.nirEncrypted(), NirVault.candidate(r[0]));
            if (sealed == null) {
                unreadable++;
                continue;
            }
            candidates += db.update("UPDATE reg_match_candidate SET observation = ? WHERE id = ?",
                    Json.write(stored.withNir(sealed)), r[0]);
        }
        if (persons + candidates + unreadable > 0) {
            LOG.info("NIR vault: {} persons' NIRs and {} waiting observations' NIRs re-sealed bound to their row (v2); "
                    + "{} v1 values could not be opened and were left as they were", persons, candidates, unreadable);
        }
        return new Result(persons, candidates, unreadable);
    }

    private static String reseal(NirVault vault, String v1, String row) {
        try {
            return vault.reseal(v1, row);
        } catch (IllegalStateException unreadable) {
            LOG.warn("NIR vault: {}", unreadable.getMessage());
            return null;
        }
    }
}
