package fr.aisne.hub.doubles.francetravail;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bodies of the person-scoped answers, in the shapes of the published France Travail partner APIs (French field
 * names). Values are derived from the person, so the same person always gets the same answer. Communes are real
 * communes of the Aisne (INSEE code, postcode); agency codes, streets, e-mails and phone numbers are fictitious.
 */
final class Payloads {
    /** INSEE code, postcode, name. */
    private static final List<String[]> COMMUNES = List.of(
            new String[] {"02408", "02000", "LAON"},
            new String[] {"02691", "02100", "SAINT-QUENTIN"},
            new String[] {"02722", "02200", "SOISSONS"},
            new String[] {"02168", "02400", "CHATEAU-THIERRY"},
            new String[] {"02173", "02300", "CHAUNY"},
            new String[] {"02381", "02500", "HIRSON"},
            new String[] {"02738", "02700", "TERGNIER"},
            new String[] {"02810", "02600", "VILLERS-COTTERETS"},
            new String[] {"02361", "02120", "GUISE"},
            new String[] {"02095", "02110", "BOHAIN-EN-VERMANDOIS"});
    /** Fictitious agency per commune above: code Aurore, code SAFIR, name. */
    private static final List<String[]> AGENCES = List.of(
            new String[] {"HDF0201", "02001", "Agence France Travail LAON"},
            new String[] {"HDF0202", "02002", "Agence France Travail SAINT-QUENTIN"},
            new String[] {"HDF0203", "02003", "Agence France Travail SOISSONS"},
            new String[] {"HDF0204", "02004", "Agence France Travail CHATEAU-THIERRY"},
            new String[] {"HDF0205", "02005", "Agence France Travail CHAUNY"},
            new String[] {"HDF0206", "02006", "Agence France Travail HIRSON"},
            new String[] {"HDF0207", "02007", "Agence France Travail TERGNIER"},
            new String[] {"HDF0208", "02008", "Agence France Travail VILLERS-COTTERETS"},
            new String[] {"HDF0209", "02009", "Agence France Travail GUISE"},
            new String[] {"HDF0210", "02010", "Agence France Travail BOHAIN-EN-VERMANDOIS"});
    private static final String[] VOIES = {"RUE DE LA REPUBLIQUE", "RUE JEAN JAURES", "AVENUE DE LA GARE",
        "RUE DU GENERAL DE GAULLE", "PLACE DE L'HOTEL DE VILLE", "RUE VICTOR HUGO", "RUE PASTEUR", "RUE DES ECOLES"};
    private static final String[][] CATEGORIES = {
        {"1", "PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PLEIN TPS"},
        {"2", "PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PARTIEL"},
        {"3", "PERSONNE SANS EMPLOI DISPONIBLE DUREE DETERMINEE"}};
    private static final String[][] MOTIFS = {
        {"14", "FIN DE CDD OU DE CONTRAT AIDE"}, {"15", "FIN DE MISSION D'INTERIM"},
        {"11", "LICENCIEMENT ECONOMIQUE"}, {"19", "AUTRE MOTIF INSCRIPTION"}};

    private Payloads() {
    }

    static int commune(Usager u) {
        return u.pick(1, COMMUNES.size());
    }

    /** The agency following the person (the one of their commune). */
    static Map<String, Object> agence(Usager u) {
        String[] a = AGENCES.get(commune(u));
        return map("code_aurore", a[0], "code_safir", a[1], "libelle_structure", a[2]);
    }

    /** Date of registration, 1 to 36 months before {@code today}. */
    static LocalDate dateInscription(Usager u, LocalDate today) {
        return today.minusDays(30 + u.pick(2, 1050));
    }

    /** {@code GET /partenaire/informations-administratives/v1/usager}. */
    static Map<String, Object> informationsAdministratives(Usager u, LocalDate today) {
        String[] c = COMMUNES.get(commune(u));
        String[] a = AGENCES.get(commune(u));
        Map<String, Object> etatCivil = map(
                "civilite", u.homme() ? "M." : "MME",
                "nom", u.nom(), "prenom", u.prenom(),
                "nomCorrespondance", u.nom(), "prenomCorrespondance", u.prenom(),
                "dateNaissance", u.dateNaissance().toString(),
                "nir", u.nir().substring(0, 13));
        Map<String, Object> adresse = map(
                "numeroTypeLibelleVoie", (1 + u.pick(3, 120)) + " " + VOIES[u.pick(4, VOIES.length)],
                "complementAdresse", null, "complementDestinataire", null, "complementDistribution", null,
                "codePostal", c[1], "codeInseeCommune", c[0], "libelleCommune", c[2], "libellePays", "FRANCE",
                "indicateurResidentQPV", u.pick(5, 4) == 0 ? "Q" : "NQ");
        String email = (u.prenom() + "." + u.nom()).toLowerCase()
                .replaceAll("[éèêë]", "e").replaceAll("[àâ]", "a").replaceAll("[îï]", "i").replaceAll("[ôö]", "o")
                .replaceAll("[ùû]", "u").replace("ç", "c").replaceAll("[^a-z.]", "") + "@example.org";
        Map<String, Object> m = map(
                "numeroFranceTravail", u.numeroFranceTravail(),
                "etatCivil", etatCivil,
                "adresses", List.of(adresse),
                "emails", List.of(map("adresseEmail", email)),
                "telephones", List.of(map("numeroTelephone", String.format("06%08d", u.pick(6, 100_000_000)))),
                "dateInscription", dateInscription(u, today).toString(),
                "structureSuivi", map("codeAurore", a[0], "codeSafir", a[1], "libelle", a[2]));
        return m;
    }

    /** {@code GET /partenaire/contrat-usager/v2/contrat}: registration status. */
    static Map<String, Object> contrat(Usager u, LocalDate today) {
        LocalDate inscription = dateInscription(u, today);
        String[] cat = CATEGORIES[u.pick(7, CATEGORIES.length)];
        String[] motif = MOTIFS[u.pick(8, MOTIFS.length)];
        long months = java.time.temporal.ChronoUnit.MONTHS.between(inscription, today);
        return map("m_contrat", map(
                "m_statut", "Inscrit",
                "m_date_effet_statut", inscription.toString(),
                "m_duree_inscription_12", Math.min(12, months),
                "m_duree_inscription_24", Math.min(24, months),
                "m_duree_inscription_36", Math.min(36, months),
                "m_motif_inscription_code", motif[0],
                "m_motif_inscription_lib", motif[1],
                "m_categ_inscription_code", cat[0],
                "m_categ_inscription_lib", cat[1],
                "m_motif_cloture_code", null,
                "m_motif_cloture_lib", null));
    }

    /** {@code GET /partenaire/donnees-rqth/v1/rqth}: disability recognition (special category of data). */
    static Map<String, Object> rqth(Usager u, LocalDate today) {
        LocalDate debut = today.minusDays(60 + u.pick(9, 1500));
        boolean definitive = u.pick(10, 3) == 0;
        return map("dateDebutRqth", debut.toString(),
                "dateFinRqth", definitive ? "9999-12-31" : debut.plusYears(5).toString(),
                "source", "FRANCE TRAVAIL",
                "topValiditeRQTH", true);
    }

    /** Orientation criteria France Travail attaches to an orientation of this person. */
    static Map<String, Object> criteres(Usager u, String origine, LocalDate today) {
        String[] c = COMMUNES.get(commune(u));
        return map(
                "origine", origine,
                "situation_professionnelle", u.inscrit() ? "SANS_EMPLOI" : "EN_ACTIVITE",
                "type_emploi", "SANS_EMPLOI",
                "niveau_etude", new String[] {"AFS", "CAP_BEP", "BAC", "BAC_2"}[u.pick(11, 4)],
                "capacite_a_travailler", !u.rqth(),
                "projet_pro", u.pick(12, 2) == 0 ? "SALARIAT" : "NON_DEFINI",
                "contrainte_sante", u.rqth() ? "IMPACT_FORT_RECHERCHE_EMPLOI" : "AUCUNE",
                "contrainte_logement", u.pick(13, 5) == 0 ? "SANS_LOGEMENT" : "AUCUNE",
                "contrainte_mobilite", u.pick(14, 3) == 0 ? "AUCUN_MOYEN_DE_TRANSPORT" : "AUCUNE",
                "contrainte_familiale", u.pick(15, 4) == 0 ? "AIDANT_FAMILIAL" : "AUCUNE",
                "contrainte_financiere", "IMPACT_FORT_RECHERCHE_EMPLOI",
                "contrainte_numerique", u.pick(16, 4) == 0 ? "NON_ACCES_INTERNET" : "AUCUNE",
                "contrainte_administrative_juridique", "AUCUNE",
                "contrainte_francais_calcul", "AUCUNE",
                "brsa", true,
                "boe", u.rqth(),
                "baeeh", false,
                "adresse", map("code_commune", c[0], "libelle_commune", c[2], "code_postal", c[1]),
                "date_saisie_donnees", today.toString());
    }

    /** An insertion-ordered map of alternating keys and values (null values kept). */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
