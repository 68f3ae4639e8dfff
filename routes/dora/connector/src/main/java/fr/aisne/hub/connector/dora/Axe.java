package fr.aisne.hub.connector.dora;

import java.util.List;

/**
 * The axes of the department's call for projects "insertion emploi 2027-2028" (shared/seeds, cahier des charges),
 * and what an action of each axis is in data·inclusion's vocabulary when the department says no more: its type, its
 * thematiques and its publics (the axis' target public: beneficiaries of the RSA, and the young leaving child
 * welfare (ASE) where the axis names them). {@link #AUTRE} has no defaults: the action names its thematiques and
 * type.
 */
enum Axe {
    TRAVAILLEURS_INDEPENDANTS("1-1", "accompagnement", List.of(
            "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
            "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
            "creer-une-entreprise--developper-son-entreprise"), false,
            "Bénéficiaires du RSA ayant un projet de création d'entreprise ou une entreprise à développer"),
    SOCIO_PROFESSIONNEL("1-2", "accompagnement", List.of(
            "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
            "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
            "trouver-un-emploi--repondre-a-des-offres-demploi"), false,
            "Bénéficiaires du RSA rencontrant des difficultés d'insertion socio-professionnelle (chômage de longue "
                    + "durée, 50 ans et plus, gens du voyage, freins importants)"),
    SOCIAL("1-3", "accompagnement", List.of(
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
            "difficultes-financieres--ameliorer-sa-gestion-budgetaire"), false,
            "Bénéficiaires du RSA rencontrant des difficultés sociales importantes"),
    SE_MOBILISER("2", "atelier", List.of(
            "remobilisation--lien-social", "remobilisation--bien-etre-confiance-en-soi",
            "remobilisation--activites-sportives-et-culturelles"), true,
            "Bénéficiaires du RSA orientés en social (à titre dérogatoire en socio-professionnel) ; jeunes sortants de l'ASE"),
    MOBILITE("3-1", "accompagnement", List.of(
            "mobilite--etre-accompagne-dans-son-parcours-mobilite", "mobilite--financer-ma-mobilite",
            "mobilite--acceder-a-un-vehicule"), true,
            "Bénéficiaires du RSA ou jeunes sortants de l'ASE rencontrant des freins de mobilité"),
    PERMIS("3-2", "formation", List.of("mobilite--preparer-un-permis"), true,
            "Bénéficiaires du RSA ou jeunes sortants de l'ASE sans permis ni code, dont le projet demande le permis B"),
    SANTE_PHYSIQUE("3-3", "accompagnement", List.of("sante--acces-aux-soins"), true,
            "Bénéficiaires du RSA ou jeunes sortants de l'ASE ayant une problématique de santé"),
    SANTE_PSYCHOLOGIQUE("3-4", "accompagnement", List.of("sante--sante-mentale"), true,
            "Bénéficiaires du RSA ou jeunes sortants de l'ASE en souffrance psychique, hors parcours de soin"),
    CONFIANCE_EN_SOI("3-5", "atelier", List.of("remobilisation--bien-etre-confiance-en-soi",
            "remobilisation--activites-sportives-et-culturelles"), true,
            "Bénéficiaires du RSA ou jeunes sortants de l'ASE dont l'estime de soi freine le parcours d'insertion"),
    ORGANISATION_DU_TEMPS("3-6", "atelier", List.of("famille--soutien-a-la-parentalite-et-a-leducation",
            "famille--garde-denfants"), true,
            "Personnes avec enfants (bénéficiaires du RSA ou jeunes sortants de l'ASE) ayant du mal à articuler leurs "
                    + "temps de vie"),
    FLE("3-7", "formation", List.of("lecture-ecriture-calcul--maitriser-le-francais"), true,
            "Bénéficiaires du RSA ou jeunes sortants de l'ASE allophones"),
    DECOUVERTE_DES_METIERS("4-1", "atelier", List.of(
            "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
            "choisir-un-metier--confirmer-son-choix-de-metier",
            "choisir-un-metier--connaitre-les-opportunites-demploi"), true,
            "Bénéficiaires du RSA ou jeunes sortants de l'ASE engagés dans une démarche d'insertion professionnelle"),
    COACHING_EMPLOI("4-2", "accompagnement", List.of(
            "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
            "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
            "preparer-sa-candidature--valoriser-ses-competences"), true,
            "Bénéficiaires du RSA ou jeunes sortants de l'ASE engagés dans une démarche d'insertion professionnelle"),
    ACI("5", "accompagnement", List.of(
            "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
            "preparer-sa-candidature--valoriser-ses-competences", "trouver-un-emploi--maintien-dans-lemploi"), true,
            "Bénéficiaires du RSA ou jeunes sortants de l'ASE (atelier et chantier d'insertion)"),
    AUTRE("autre", null, List.of(), false, null);

    /** The public every funded action serves: the beneficiaries of the RSA. */
    static final String RSA = "beneficiaires-des-minimas-sociaux";

    final String code;
    final String type;
    final List<String> thematiques;
    final List<String> publics;
    final String publicsPrecisions;

    Axe(String code, String type, List<String> thematiques, boolean youngFromAse, String publicsPrecisions) {
        this.code = code;
        this.type = type;
        this.thematiques = thematiques;
        List<String> p = this.code.equals("3-6") ? List.of(RSA, "jeunes", "familles")
                : youngFromAse ? List.of(RSA, "jeunes") : List.of(RSA);
        this.publics = code.equals("autre") ? List.of() : p;
        this.publicsPrecisions = publicsPrecisions;
    }

    static Axe of(String code) {
        for (Axe a : values()) {
            if (a.code.equals(code)) {
                return a;
            }
        }
        throw new IllegalArgumentException("no axe " + code);
    }
}
