package fr.aisne.hub.connector.ouiform.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import fr.aisne.hub.connector.ouiform.contract.Messages;

/**
 * The beneficiary of a prescription, filled from what the registry disclosed to OuiForm (the rule
 * {@code disclose.ouiform.<purpose>}): only the contract's fields, only from disclosed values. A field the rule gives
 * but the contract does not carry (an e-mail, a NIR if a rule ever gave one) is not sent, and is named so that the
 * rule can be narrowed; a field the contract needs but the rule does not give is missing, and named.
 */
final class Beneficiaires {
    /** Registry attributes and identifiers the contract's Beneficiaire is made of. */
    static final String NOM_NAISSANCE = "nom_naissance";
    static final String NOM_USAGE = "nom_usage";
    static final String PRENOM = "prenom";
    static final String DATE_NAISSANCE = "date_naissance";
    static final String COMMUNE_INSEE = "commune_insee";
    static final String COMMUNE_CODE_POSTAL = "commune_code_postal";
    static final String COMMUNE_LIBELLE = "commune_libelle";
    static final String NUMERO_FT = "id.france-travail.numero";
    static final Set<String> USED = Set.of(NOM_NAISSANCE, NOM_USAGE, PRENOM, DATE_NAISSANCE, COMMUNE_INSEE,
            COMMUNE_CODE_POSTAL, COMMUNE_LIBELLE, NUMERO_FT);

    private static final Pattern NUMERO = Pattern.compile("[0-9]{11}|[0-9]{7}[0-9A-Z]");
    private static final Pattern INSEE = Pattern.compile("[0-9]{5}|2[AB][0-9]{3}");
    private static final Pattern CODE_POSTAL = Pattern.compile("[0-9]{5}");

    /**
     * @param beneficiaire what is sent
     * @param sent         the contract fields filled, and from where
     * @param missing      the contract's required fields with no value (beneficiaire/nom...)
     * @param notSent      fields the rule disclosed that the contract does not carry
     * @param communeGiven the commune came from the request (the registry had none)
     */
    record Filled(Messages.Beneficiaire beneficiaire, List<String> sent, List<String> missing, Set<String> notSent,
            boolean communeGiven) {
    }

    private Beneficiaires() {
    }

    static Filled fill(Map<String, Object> disclosed, Messages.Commune requestCommune) {
        List<String> sent = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String nom = text(disclosed, NOM_NAISSANCE);
        if (nom == null) {
            nom = text(disclosed, NOM_USAGE);
        }
        String prenom = text(disclosed, PRENOM);
        String date = date(text(disclosed, DATE_NAISSANCE));
        Messages.Commune commune = null;
        boolean communeGiven = false;
        String insee = text(disclosed, COMMUNE_INSEE);
        String libelle = text(disclosed, COMMUNE_LIBELLE);
        if (insee != null && INSEE.matcher(insee).matches() && libelle != null) {
            String cp = text(disclosed, COMMUNE_CODE_POSTAL);
            commune = new Messages.Commune(insee, cp != null && CODE_POSTAL.matcher(cp).matches() ? cp : null, libelle);
        } else if (requestCommune != null) {
            commune = requestCommune;
            communeGiven = true;
        }
        String numero = text(disclosed, NUMERO_FT);
        if (numero != null && !NUMERO.matcher(numero).matches()) {
            numero = null; // another form of the number than the contract's: not sent
        }
        note(nom, "beneficiaire/nom", sent, missing);
        note(prenom, "beneficiaire/prenom", sent, missing);
        note(date, "beneficiaire/dateNaissance", sent, missing);
        note(commune == null ? null : "x", "beneficiaire/commune" + (communeGiven ? " (from the request)" : ""), sent,
                missing);
        if (numero != null) {
            sent.add("beneficiaire/numeroFranceTravail");
        }
        Set<String> notSent = new TreeSet<>(disclosed.keySet());
        notSent.removeAll(USED);
        return new Filled(new Messages.Beneficiaire(nom, prenom, date, commune, numero), sent, missing, notSent,
                communeGiven);
    }

    private static void note(String value, String field, List<String> sent, List<String> missing) {
        (value == null ? missing : sent).add(field.replace(" (from the request)", value == null ? "" : " (from the request)"));
    }

    /** A disclosed value as text of at most 100 characters (the contract's Texte100), or null. */
    private static String text(Map<String, Object> disclosed, String field) {
        Object v = disclosed.get(field);
        if (v == null) {
            return null;
        }
        String s = v.toString().strip();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() > 100 ? s.substring(0, 100).strip() : s;
    }

    private static String date(String s) {
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s).toString();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
