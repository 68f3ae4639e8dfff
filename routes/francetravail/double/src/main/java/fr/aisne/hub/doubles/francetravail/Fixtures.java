package fr.aisne.hub.doubles.francetravail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.List;

import fr.aisne.hub.doubles.francetravail.Usager.Outcome;

/**
 * Deterministic fixtures: every person the double answers for is derived from the NIR (or from the numéro France
 * Travail) itself, so tests reach every business code without a fixture file.
 *
 * <h2>The rule</h2>
 * {@code xx} = the last two digits of the NIR's order number (characters 11-13, e.g. {@code 1 85 05 02 408 }
 * <b>0</b><b>83</b>{@code  KK} gives xx = 83). For a search by numéro France Travail, {@code xx} = the numéro's last
 * two digits; the numéro of a person found by NIR is 9 digits derived from the NIR followed by the same xx, so both
 * searches agree.
 * <table>
 * <caption>xx to answer</caption>
 * <tr><th>xx</th><th>search answer</th><th>person-scoped data</th></tr>
 * <tr><td>00-39, 86-99</td><td>S001, 200, topIdentiteCertifiee O</td><td>registered (contrat, informations
 * administratives); no RQTH, no orientation (204)</td></tr>
 * <tr><td>40-49</td><td>S001, 200, topIdentiteCertifiee N</td><td>as 00-39</td></tr>
 * <tr><td>50-59</td><td>S001, 200, O</td><td>as 00-39, with an RQTH</td></tr>
 * <tr><td>60-69</td><td>S001, 200, O</td><td>known but no file: contrat, informations administratives, RQTH and
 * orientation all 204</td></tr>
 * <tr><td>70-79</td><td>S001, 200, O</td><td>as 00-39, with an orientation France Travail already decided</td></tr>
 * <tr><td>80</td><td>S002, 200 (not found)</td><td></td></tr>
 * <tr><td>81</td><td>S003, 200 (several persons)</td><td></td></tr>
 * <tr><td>82</td><td>R001, 403</td><td></td></tr>
 * <tr><td>83</td><td>R998, 500, twice, then S001</td><td>as 00-39 once found</td></tr>
 * <tr><td>84</td><td>R998, 502, twice, then S001</td><td>as 00-39 once found</td></tr>
 * <tr><td>85</td><td>R999, 503, twice, then S001</td><td>as 00-39 once found</td></tr>
 * </table>
 * The technical errors are transient (a client's retries succeed); registered through the control endpoint they
 * are permanent.
 * R997 (400) is never chosen by the rule: it answers a malformed request (missing field, date not yyyy-MM-dd or
 * in the future, NIR not 15 characters, malformed or with a wrong key, numéro not 11 digits). A NIR whose year
 * (and month, when 01-12) of birth disagrees with {@code dateNaissance} answers S002, as would France Travail.
 * A person registered through {@code POST /double/control/usagers} overrides the rule for its NIR.
 */
final class Fixtures {
    static final List<String> NOMS = List.of("MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD",
            "PETIT", "DURAND", "LEROY", "MOREAU", "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID",
            "BERTRAND", "ROUX", "VINCENT", "FOURNIER", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "CARON");
    static final List<String> PRENOMS_H = List.of("JEAN", "PIERRE", "MICHEL", "NICOLAS", "JULIEN", "THOMAS",
            "KEVIN", "MEHDI", "LUCAS", "FRANÇOIS", "ANTOINE", "JÉRÔME", "KARIM", "DAVID", "SÉBASTIEN");
    static final List<String> PRENOMS_F = List.of("MARIE", "NATHALIE", "ISABELLE", "SOPHIE", "CÉLINE", "JULIE",
            "SANDRINE", "AURÉLIE", "LÉA", "CHLOÉ", "FATIMA", "HÉLÈNE", "MÉLANIE", "AMANDINE", "ÉMILIE");

    private Fixtures() {
    }

    /** What the rule gives for the two digits {@code xx} (see the class comment). */
    static Outcome outcome(int xx) {
        return switch (xx) {
            case 80 -> Outcome.S002;
            case 81 -> Outcome.S003;
            case 82 -> Outcome.R001;
            case 83 -> Outcome.R998_500;
            case 84 -> Outcome.R998_502;
            case 85 -> Outcome.R999;
            default -> Outcome.S001;
        };
    }

    /** The person behind a valid NIR searched with a birth date consistent with it. */
    static Usager fromNir(String nir, LocalDate dateNaissance) {
        int xx = Nir.orderNumber(nir) % 100;
        String numero = String.format("%09d", Math.floorMod(hash("nir#" + nir), 1_000_000_000)) + String.format("%02d", xx);
        return build(numero, nir, dateNaissance, xx);
    }

    /** The person behind an 11-digit numéro France Travail never seen before: a synthetic NIR and birth date. */
    static Usager fromNumero(String numero) {
        int xx = Integer.parseInt(numero.substring(9));
        long h = Math.floorMod(hash("numero#" + numero), Long.MAX_VALUE);
        int sex = 1 + (int) (h % 2);
        LocalDate birth = LocalDate.of(1960 + (int) (h / 2 % 45), 1 + (int) (h / 90 % 12), 1 + (int) (h / 1080 % 28));
        int commune = 1 + (int) (h / 30240 % 899);
        int order = (1 + (int) (h / 27_185_760 % 9)) * 100 + xx;
        String nir13 = String.format("%d%02d%02d02%03d%03d", sex, birth.getYear() % 100, birth.getMonthValue(),
                commune, order);
        return build(numero, Nir.withKey(nir13), birth, xx);
    }

    private static Usager build(String numero, String nir, LocalDate birth, int xx) {
        Outcome outcome = outcome(xx);
        boolean sansDossier = xx >= 60 && xx <= 69;
        long h = Math.floorMod(hash("nom#" + numero), Long.MAX_VALUE);
        List<String> prenoms = Nir.sex(nir) == 1 ? PRENOMS_H : PRENOMS_F;
        return new Usager(numero, nir, birth, outcome, !(xx >= 40 && xx <= 49), !sansDossier, !sansDossier,
                xx >= 50 && xx <= 59, xx >= 70 && xx <= 79, NOMS.get((int) (h % NOMS.size())),
                prenoms.get((int) (h / 97 % prenoms.size())));
    }

    /** First 8 bytes of the SHA-256 of {@code s}: stable across runs and JVMs. */
    static long hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
