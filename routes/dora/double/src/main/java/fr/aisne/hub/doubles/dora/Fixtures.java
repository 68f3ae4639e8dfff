package fr.aisne.hub.doubles.dora;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.doubles.dora.Communes.Commune;

/**
 * The directory the double serves: structures and services of the Aisne (département 02) from several sources
 * ({@code dora}, {@code france-travail}, {@code mission-locale}, {@code emplois-de-linclusion},
 * {@code mediation-numerique}), a few of the Oise (60) and the Marne (51) to check geographic filters, and a few
 * deliberately bad items (see {@link Bad}). Deterministic: the same every time, except the one {@code date_maj} set
 * in the future, which is relative to {@code today}. Communes and networks are real; names of local bodies follow
 * real patterns; SIRET numbers (Luhn-valid), addresses, phone numbers and e-mail addresses are fictitious.
 * Every item that is not bad is valid against schema v1 ({@code FixturesTest}).
 */
final class Fixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final LocalDate FIRST_DATE_MAJ = LocalDate.of(2024, 6, 1);

    /** Why an item is bad: the field and the rule a connector must reject it by (see {@link SchemaCheck}). */
    record Bad(String field, String rule, String why) {
    }

    /**
     * One structure or service: its JSON as the producer publishes it (schema v1 fields), plus what data·inclusion
     * adds ({@code score_qualite}, {@code adresse_certifiee}) and the duplicate cluster of a structure.
     */
    record Item(String id, ObjectNode json, double scoreQualite, boolean adresseCertifiee, String cluster,
            String structureId, Bad bad) {
        String codeInsee() {
            return json.path("code_insee").isTextual() ? json.get("code_insee").asText() : null;
        }
    }

    final List<Item> structures;
    final List<Item> services;

    private Fixtures(List<Item> structures, List<Item> services) {
        structures.sort(Comparator.comparing(Item::id));
        services.sort(Comparator.comparing(Item::id));
        this.structures = List.copyOf(structures);
        this.services = List.copyOf(services);
    }

    // ---------------------------------------------------------------------------------------------- templates

    /** A kind of service a kind of structure offers. */
    private static final class T {
        final String slug;
        final String nom;
        final String type;
        final String description;
        String[] thematiques = {};
        String[] publics = {"tous-publics"};
        String frais = "gratuit";
        String fraisPrecisions;
        String[] accueil = {"en-presentiel"};
        String[] mobilisation = {"se-presenter", "telephoner"};
        String[] par = {"usagers", "professionnels"};
        String zone;
        String conditions;
        String publicsPrecisions;
        String lienMobilisation;
        Integer semaines;
        Double heures;

        T(String slug, String nom, String type, String description) {
            this.slug = slug;
            this.nom = nom;
            this.type = type;
            this.description = description;
        }

        T them(String... v) {
            thematiques = v;
            return this;
        }

        T pub(String... v) {
            publics = v;
            return this;
        }

        T payant(String precisions) {
            frais = "payant";
            fraisPrecisions = precisions;
            return this;
        }

        T accueil(String... v) {
            accueil = v;
            return this;
        }

        T mob(String... v) {
            mobilisation = v;
            return this;
        }

        T par(String... v) {
            par = v;
            return this;
        }

        /** {@code dept}, {@code commune}, {@code france} or null (no restriction). */
        T zone(String v) {
            zone = v;
            return this;
        }

        T conditions(String v) {
            conditions = v;
            return this;
        }

        T publicsPrecisions(String v) {
            publicsPrecisions = v;
            return this;
        }

        T lien(String v) {
            lienMobilisation = v;
            return this;
        }

        T duree(int weeks, double hours) {
            semaines = weeks;
            heures = hours;
            return this;
        }
    }

    private static final Map<String, T> TEMPLATES = new LinkedHashMap<>();

    private static void t(T t) {
        TEMPLATES.put(t.slug, t);
    }

    static {
        // Maisons départementales des solidarités (the Département's social services)
        t(new T("accompagnement-social", "Accompagnement social global", "accompagnement",
                "Un travailleur social vous reçoit pour faire le point sur votre situation (logement, budget, santé, "
                        + "famille) et vous accompagne dans vos démarches d’accès aux droits. Sur rendez-vous à la maison "
                        + "départementale des solidarités, ou à domicile si nécessaire.")
                .them("difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
                        "logement-hebergement--se-maintenir-dans-le-logement",
                        "difficultes-financieres--ameliorer-sa-gestion-budgetaire")
                .zone("dept"));
        t(new T("accompagnement-rsa", "Accompagnement socioprofessionnel des allocataires du RSA", "accompagnement",
                "Un référent unique accompagne les allocataires du RSA orientés vers le Département : contrat "
                        + "d’engagement réciproque, levée des freins (mobilité, garde d’enfants, santé) et mise en relation "
                        + "avec les actions d’insertion du territoire.")
                .them("preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
                        "remobilisation--bien-etre-confiance-en-soi",
                        "choisir-un-metier--identifier-ses-points-forts-et-ses-competences")
                .pub("beneficiaires-des-minimas-sociaux").mob("envoyer-un-courriel", "telephoner").par("professionnels")
                .conditions("Être allocataire du RSA et orienté vers le Département.").zone("dept"));
        t(new T("soutien-parentalite", "Soutien à la parentalité et aide éducative", "accompagnement",
                "Des professionnels de la protection de l’enfance et de la PMI accompagnent les parents dans "
                        + "l’éducation de leurs enfants : entretiens, visites à domicile, actions collectives parents-enfants.")
                .them("famille--soutien-a-la-parentalite-et-a-leducation",
                        "famille--surmonter-conflits-separation-violence")
                .pub("familles").zone("dept"));
        // CCAS
        t(new T("aide-alimentaire", "Aide alimentaire d’urgence", "aide-materielle",
                "Colis alimentaires et bons d’achat pour les personnes et les familles en difficulté, après évaluation "
                        + "de la situation par un travailleur social du CCAS.")
                .them("equipement-et-alimentation--alimentation").pub("personnes-en-situation-durgence", "familles")
                .conditions("Résider dans la commune ; se munir d’un justificatif de ressources.").zone("commune"));
        t(new T("domiciliation", "Domiciliation administrative", "accompagnement",
                "Le CCAS délivre une adresse aux personnes sans domicile stable pour recevoir leur courrier et faire "
                        + "valoir leurs droits : prestations sociales, inscription à France Travail, démarches administratives.")
                .them("difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
                        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits")
                .pub("personnes-en-situation-durgence").mob("se-presenter").zone("commune"));
        t(new T("aide-financiere", "Aide financière facultative", "aide-financiere",
                "Secours ponctuels pour faire face à une dépense imprévue (énergie, loyer, frais de santé), attribués "
                        + "par la commission permanente du CCAS sur dossier présenté par un travailleur social.")
                .them("difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
                        "logement-hebergement--reduire-les-impayes-de-loyer")
                .pub("beneficiaires-des-minimas-sociaux", "familles", "seniors").mob("envoyer-un-courriel")
                .par("professionnels").zone("commune"));
        // Missions locales
        t(new T("cej", "Contrat d’engagement jeune (CEJ)", "accompagnement",
                "Un accompagnement intensif de 6 à 12 mois avec un conseiller dédié : 15 à 20 heures d’activités par "
                        + "semaine (ateliers, stages, formations) et une allocation selon les ressources.")
                .them("trouver-un-emploi--repondre-a-des-offres-demploi",
                        "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
                        "preparer-sa-candidature--valoriser-ses-competences")
                .pub("jeunes").mob("telephoner", "se-presenter", "envoyer-un-courriel")
                .publicsPrecisions("Jeunes de 16 à 25 ans (29 ans en situation de handicap), sans emploi ni formation.")
                .duree(52, 15).zone("dept"));
        t(new T("permis", "Aide au financement du permis de conduire", "aide-financiere",
                "La mission locale et ses partenaires financent une partie du permis B des jeunes qui en ont besoin "
                        + "pour un projet d’insertion professionnelle.")
                .them("mobilite--preparer-un-permis", "mobilite--financer-ma-mobilite").pub("jeunes").mob("se-presenter")
                .par("usagers").zone("dept"));
        t(new T("logement-jeunes", "Information logement des jeunes", "information",
                "Conseils pour trouver un premier logement : aides au logement, garantie Visale, foyers de jeunes "
                        + "travailleurs, constitution du dossier de location.")
                .them("logement-hebergement--louer-un-logement",
                        "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement")
                .pub("jeunes").accueil("en-presentiel", "a-distance").mob("telephoner", "envoyer-un-courriel"));
        // France Travail agencies
        t(new T("atelier-cv", "Atelier CV et lettre de motivation", "atelier",
                "Atelier collectif de trois heures pour construire ou actualiser son CV et rédiger une lettre de "
                        + "motivation adaptée aux offres visées, avec un conseiller France Travail.")
                .them("preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation").pub("demandeurs-emploi")
                .accueil("en-presentiel", "a-distance").mob("utiliser-lien-mobilisation", "se-presenter")
                .lien("https://www.francetravail.fr").zone("dept"));
        t(new T("creation-entreprise", "Accompagnement à la création d’entreprise", "accompagnement",
                "Ateliers et accompagnement individuel pour vérifier la faisabilité de son projet, construire son plan "
                        + "de financement et connaître les aides à la création d’entreprise.")
                .them("creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
                        "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise")
                .pub("demandeurs-emploi").par("usagers").zone("dept"));
        t(new T("entretien-embauche", "Préparer son entretien d’embauche", "atelier",
                "Simulations d’entretien et conseils personnalisés pour se présenter, valoriser son parcours et "
                        + "répondre aux questions des recruteurs.")
                .them("trouver-un-emploi--convaincre-un-recruteur-en-entretien").pub("demandeurs-emploi", "jeunes")
                .zone("dept"));
        t(new T("trouver-formation", "Trouver sa formation", "information",
                "Information à distance sur les formations financées, le compte personnel de formation et les "
                        + "démarches d’inscription, par téléphone ou en visioconférence.")
                .them("se-former--trouver-sa-formation", "se-former--monter-son-dossier-de-formation")
                .pub("demandeurs-emploi", "actifs").accueil("a-distance").mob("telephoner").zone("france"));
        // Other local bodies
        t(new T("aide-alimentaire-vestiaire", "Aide alimentaire et vestiaire solidaire", "aide-materielle",
                "Libre-service alimentaire et vestiaire ouverts aux personnes orientées par un travailleur social ou "
                        + "accueillies lors des permanences.")
                .them("equipement-et-alimentation--alimentation", "equipement-et-alimentation--habillement")
                .payant("Participation de 10 % de la valeur des produits."));
        t(new T("distribution-alimentaire", "Distribution alimentaire", "aide-materielle",
                "Distribution de repas et de denrées pendant la campagne d’hiver et d’été, après une inscription au "
                        + "centre.")
                .them("equipement-et-alimentation--alimentation").pub("personnes-en-situation-durgence", "familles"));
        // A final "." is only a warning: this service stays valid
        t(new T("acces-aux-droits", "Permanence d’accès aux droits.", "information",
                "Un bénévole aide à ouvrir ou à faire valoir des droits (CAF, assurance maladie, énergie) et oriente "
                        + "vers les services compétents.")
                .them("difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"));
        t(new T("initiation-numerique", "Initiation au numérique", "atelier",
                "Ateliers en petits groupes pour apprendre à utiliser un ordinateur, une tablette ou un smartphone, "
                        + "naviguer sur internet et créer une adresse électronique.")
                .them("numerique--maitriser-les-fondamentaux-du-numerique"));
        t(new T("ateliers-sociolinguistiques", "Ateliers sociolinguistiques", "atelier",
                "Ateliers de français à visée d’autonomie dans la vie quotidienne : démarches, santé, école, emploi.")
                .them("lecture-ecriture-calcul--maitriser-le-francais").pub("personnes-exilees", "femmes"));
        t(new T("chantier-espaces-verts", "Chantier d’insertion espaces verts et maraîchage", "accompagnement",
                "Contrat à durée déterminée d’insertion de 26 heures par semaine avec un accompagnement "
                        + "socioprofessionnel et des formations qualifiantes.")
                .them("trouver-un-emploi--repondre-a-des-offres-demploi", "remobilisation--lien-social")
                .pub("beneficiaires-des-minimas-sociaux", "demandeurs-emploi").mob("envoyer-un-courriel")
                .par("professionnels").conditions("Être éligible à l’insertion par l’activité économique.")
                .duree(26, 26).zone("dept"));
        t(new T("emploi-logistique", "Emploi en entreprise d’insertion – logistique", "accompagnement",
                "Postes de préparateur de commandes et de cariste en entreprise d’insertion, avec un accompagnement "
                        + "vers l’emploi durable.")
                .them("trouver-un-emploi--repondre-a-des-offres-demploi", "trouver-un-emploi--maintien-dans-lemploi")
                .pub("demandeurs-emploi", "beneficiaires-des-minimas-sociaux").par("professionnels"));
        t(new T("accompagnement-numerique", "Accompagnement numérique individuel", "accompagnement",
                "Un conseiller numérique aide aux démarches en ligne (impôts, CAF, France Travail, ANTS) et à la prise "
                        + "en main de son équipement.")
                .them("numerique--acceder-a-des-services-en-ligne", "numerique--maitriser-les-fondamentaux-du-numerique"));
        t(new T("point-conseil-budget", "Point conseil budget", "accompagnement",
                "Conseil gratuit et confidentiel pour faire le point sur son budget, prévenir le surendettement et être "
                        + "accompagné dans ses démarches auprès des créanciers.")
                .them("difficultes-financieres--ameliorer-sa-gestion-budgetaire",
                        "difficultes-financieres--situation-dendettement-surendettement"));
    }

    /** A structure: source, local id, name, commune, networks, description, the templates of its services. */
    private record S(String source, String local, String nom, String commune, String[] reseaux, String description,
            String... services) {
    }

    private static String[] r(String... v) {
        return v;
    }

    private static final List<S> STRUCTURES = List.of(
            new S("dora", "mds-saint-quentin", "Maison départementale des solidarités de Saint-Quentin", "02691",
                    r("departements", "maisons-des-solidarites"),
                    "Accueil social de proximité du Département de l’Aisne : action sociale, protection de l’enfance, PMI et insertion.",
                    "accompagnement-social", "accompagnement-rsa", "soutien-parentalite"),
            new S("dora", "mds-laon", "Maison départementale des solidarités de Laon", "02408",
                    r("departements", "maisons-des-solidarites"),
                    "Accueil social de proximité du Département de l’Aisne pour le Laonnois.",
                    "accompagnement-social", "accompagnement-rsa", "soutien-parentalite"),
            new S("dora", "mds-soissons", "Maison départementale des solidarités de Soissons", "02722",
                    r("departements", "maisons-des-solidarites"),
                    "Accueil social de proximité du Département de l’Aisne pour le Soissonnais.",
                    "accompagnement-social", "accompagnement-rsa", "soutien-parentalite"),
            new S("dora", "mds-chateau-thierry", "Maison départementale des solidarités de Château-Thierry", "02168",
                    r("departements", "maisons-des-solidarites"),
                    "Accueil social de proximité du Département de l’Aisne pour le sud de l’Aisne.",
                    "accompagnement-social", "accompagnement-rsa", "soutien-parentalite"),
            new S("dora", "mds-hirson", "Maison départementale des solidarités de Thiérache – Hirson", "02381",
                    r("departements", "maisons-des-solidarites"),
                    "Accueil social de proximité du Département de l’Aisne pour la Thiérache.",
                    "accompagnement-social", "accompagnement-rsa", "soutien-parentalite"),
            new S("dora", "ccas-saint-quentin", "CCAS de Saint-Quentin", "02691", r("ccas-cias"),
                    "Centre communal d’action sociale : aides facultatives, domiciliation, aide alimentaire.",
                    "aide-alimentaire", "domiciliation", "aide-financiere"),
            new S("dora", "ccas-laon", "CCAS de Laon", "02408", r("ccas-cias"),
                    "Centre communal d’action sociale de la ville de Laon.",
                    "aide-alimentaire", "domiciliation", "aide-financiere"),
            new S("dora", "ml-saint-quentinois", "Mission Locale du Saint-Quentinois", "02691", r("mission-locale"),
                    "Accompagnement des jeunes de 16 à 25 ans vers l’emploi, la formation et l’autonomie.",
                    "cej", "permis", "logement-jeunes"),
            new S("mission-locale", "ml-saint-quentin", "Mission locale du Saint-Quentinois – siège", "02691",
                    r("mission-locale"), "Mission locale pour l’insertion professionnelle et sociale des jeunes.",
                    "cej", "permis", "logement-jeunes"),
            new S("mission-locale", "ml-laon", "Mission locale du Pays de Laon", "02408", r("mission-locale"),
                    "Mission locale pour l’insertion professionnelle et sociale des jeunes.",
                    "cej", "permis", "logement-jeunes"),
            new S("mission-locale", "ml-soissons", "Mission locale du Soissonnais", "02722", r("mission-locale"),
                    "Mission locale pour l’insertion professionnelle et sociale des jeunes.",
                    "cej", "permis", "logement-jeunes"),
            new S("mission-locale", "ml-thierache", "Mission locale de Thiérache", "02789", r("mission-locale"),
                    "Mission locale pour l’insertion professionnelle et sociale des jeunes.",
                    "cej", "permis", "logement-jeunes"),
            new S("france-travail", "ft-saint-quentin", "France Travail Saint-Quentin", "02691", r("france-travail"),
                    "Agence France Travail : inscription, indemnisation, accompagnement vers l’emploi.",
                    "atelier-cv", "creation-entreprise", "entretien-embauche"),
            new S("france-travail", "ft-laon", "France Travail Laon", "02408", r("france-travail"),
                    "Agence France Travail : inscription, indemnisation, accompagnement vers l’emploi.",
                    "atelier-cv", "entretien-embauche", "trouver-formation"),
            new S("france-travail", "ft-soissons", "France Travail Soissons", "02722", r("france-travail"),
                    "Agence France Travail : inscription, indemnisation, accompagnement vers l’emploi.",
                    "atelier-cv", "creation-entreprise", "trouver-formation"),
            new S("france-travail", "ft-chateau-thierry", "France Travail Château-Thierry", "02168", r("france-travail"),
                    "Agence France Travail : inscription, indemnisation, accompagnement vers l’emploi.",
                    "atelier-cv", "entretien-embauche", "trouver-formation"),
            new S("france-travail", "ft-hirson", "France Travail Hirson", "02381", r("france-travail"),
                    "Agence France Travail : inscription, indemnisation, accompagnement vers l’emploi.",
                    "atelier-cv", "creation-entreprise", "entretien-embauche"),
            new S("dora", "secours-populaire-soissons", "Secours populaire français – comité de Soissons", "02722",
                    r("secours-populaire"), "Association de solidarité : aide alimentaire, vestiaire, accès aux vacances.",
                    "aide-alimentaire-vestiaire"),
            new S("dora", "restos-du-coeur-chauny", "Les Restaurants du Cœur – centre de Chauny", "02173",
                    r("restos-du-coeur"), "Centre de distribution et d’accompagnement des Restaurants du Cœur.",
                    "distribution-alimentaire", "acces-aux-droits"),
            new S("dora", "epn-villers-cotterets", "Espace public numérique de Villers-Cotterêts", "02810",
                    r("espaces-publics-numeriques"), "Lieu d’accès libre et accompagné au numérique.",
                    "initiation-numerique"),
            new S("dora", "centre-social-guise", "Centre social de Guise", "02361", r("fcsf"),
                    "Centre social associatif : familles, jeunesse, apprentissage du français, animation locale.",
                    "ateliers-sociolinguistiques"),
            new S("dora", "aci-bohain", "Atelier chantier d’insertion du Vermandois", "02095", r("aci", "chantier-ecole"),
                    "Chantier d’insertion en espaces verts et maraîchage biologique.", "chantier-espaces-verts"),
            new S("emplois-de-linclusion", "ei-chauny", "Chauny Insertion Logistique", "02173", r("ei"),
                    "Entreprise d’insertion de logistique et de préparation de commandes.", "emploi-logistique"),
            new S("mediation-numerique", "cn-tergnier", "Médiathèque de Tergnier – conseiller numérique", "02738",
                    r("conseillers-numeriques"), "Permanences de médiation numérique à la médiathèque.",
                    "accompagnement-numerique"),
            new S("dora", "pcb-fere-en-tardenois", "Point conseil budget du Tardenois", "02305",
                    r("points-conseil-budget"), "Point conseil budget labellisé par l’État.", "point-conseil-budget"),
            // Other départements: the geographic filters must leave them out of the Aisne's answers
            new S("dora", "ccas-compiegne", "CCAS de Compiègne", "60159", r("ccas-cias"),
                    "Centre communal d’action sociale de la ville de Compiègne.", "aide-alimentaire", "domiciliation"),
            new S("france-travail", "ft-beauvais", "France Travail Beauvais", "60057", r("france-travail"),
                    "Agence France Travail : inscription, indemnisation, accompagnement vers l’emploi.", "atelier-cv"),
            new S("mission-locale", "ml-reims", "Mission locale de Reims", "51454", r("mission-locale"),
                    "Mission locale pour l’insertion professionnelle et sociale des jeunes.", "cej"));

    /** Two records of one Mission Locale, from Dora and from the Missions Locales' own directory. */
    private static final Map<String, String> CLUSTERS = Map.of(
            "dora--ml-saint-quentinois", "cluster-ml-saint-quentin",
            "mission-locale--ml-saint-quentin", "cluster-ml-saint-quentin");

    private static final String[] STREETS = {"rue de la République", "place de l’Hôtel de Ville", "rue Jean Jaurès",
        "boulevard Gambetta", "rue Victor Hugo", "avenue du Général de Gaulle", "rue Pasteur", "rue des Écoles",
        "rue Anatole France", "place du Marché"};

    // ---------------------------------------------------------------------------------------------- building

    static Fixtures build(LocalDate today) {
        List<Item> structures = new ArrayList<>();
        List<Item> services = new ArrayList<>();
        for (S s : STRUCTURES) {
            Commune c = Communes.byCode(s.commune());
            String id = s.source() + "--" + s.local();
            int h = hash(id);
            double lat = round(c.latitude() + (Math.floorMod(h, 21) - 10) / 2000.0, 5);
            double lon = round(c.longitude() + (Math.floorMod(h / 21, 21) - 10) / 2000.0, 5);
            String adresse = (1 + Math.floorMod(h, 48)) + " " + STREETS[Math.floorMod(h / 7, STREETS.length)];
            String telephone = phone(c, h);
            String courriel = "accueil@" + s.local() + ".example.org";
            ObjectNode st = MAPPER.createObjectNode();
            st.put("source", s.source());
            st.put("id", id);
            st.put("nom", s.nom());
            st.put("date_maj", dateMaj(id).toString());
            st.put("siret", siret(s.local(), s.reseaux()[0]));
            st.put("description", s.description());
            st.put("adresse", adresse);
            st.putNull("complement_adresse");
            st.put("code_postal", c.codePostal());
            st.put("code_insee", c.code());
            st.put("commune", c.nom());
            st.put("latitude", lat);
            st.put("longitude", lon);
            st.put("telephone", telephone);
            st.put("courriel", courriel);
            st.put("site_web", "https://www." + s.local() + ".example.org");
            if (s.source().equals("dora")) {
                st.put("lien_source", "https://dora.inclusion.beta.gouv.fr/structures/" + s.local());
            } else {
                st.putNull("lien_source");
            }
            st.put("horaires_accueil", "Mo-Fr 09:00-12:00,13:30-17:00");
            st.putNull("accessibilite_lieu");
            ArrayNode reseaux = st.putArray("reseaux_porteurs");
            for (String rp : s.reseaux()) {
                reseaux.add(rp);
            }
            List<Item> own = new ArrayList<>();
            for (String slug : s.services()) {
                own.add(service(TEMPLATES.get(slug), s, st, c));
            }
            services.addAll(own);
            double mean = own.stream().mapToDouble(Item::scoreQualite).average().orElse(0);
            structures.add(new Item(id, st, round(mean, 3), Math.floorMod(h, 5) != 0, CLUSTERS.get(id), null, null));
        }
        addBadItems(structures, services, today);
        return new Fixtures(structures, services);
    }

    private static Item service(T t, S s, ObjectNode st, Commune c) {
        String id = s.source() + "--" + s.local() + "-" + t.slug;
        int h = hash(id);
        boolean remoteOnly = t.accueil.length == 1 && t.accueil[0].equals("a-distance");
        ObjectNode sv = MAPPER.createObjectNode();
        sv.put("source", s.source());
        sv.put("structure_id", st.get("id").asText());
        sv.put("id", id);
        sv.put("nom", t.nom);
        sv.put("description", t.description);
        sv.put("date_maj", dateMaj(id).toString());
        sv.put("type", t.type);
        array(sv, "thematiques", t.thematiques);
        sv.put("frais", t.frais);
        text(sv, "frais_precisions", t.fraisPrecisions);
        array(sv, "publics", t.publics);
        text(sv, "publics_precisions", t.publicsPrecisions);
        text(sv, "conditions_acces", t.conditions);
        array(sv, "modes_accueil", t.accueil);
        array(sv, "modes_mobilisation", t.mobilisation);
        array(sv, "mobilisable_par", t.par);
        sv.putNull("mobilisation_precisions");
        text(sv, "lien_mobilisation", t.lienMobilisation);
        if (t.zone == null) {
            sv.putNull("zone_eligibilite");
        } else {
            array(sv, "zone_eligibilite", switch (t.zone) {
                case "dept" -> c.departement();
                case "commune" -> c.code();
                default -> "france";
            });
        }
        sv.set("adresse", st.get("adresse"));
        sv.putNull("complement_adresse");
        sv.put("code_postal", c.codePostal());
        sv.put("code_insee", c.code());
        sv.put("commune", c.nom());
        if (remoteOnly) {
            sv.putNull("latitude");
            sv.putNull("longitude");
        } else {
            sv.set("latitude", st.get("latitude"));
            sv.set("longitude", st.get("longitude"));
        }
        sv.set("telephone", st.get("telephone"));
        sv.set("courriel", st.get("courriel"));
        sv.putNull("contact_nom_prenom");
        sv.set("horaires_accueil", st.get("horaires_accueil"));
        if (s.source().equals("dora")) {
            sv.put("lien_source", "https://dora.inclusion.beta.gouv.fr/services/" + s.local() + "-" + t.slug);
        } else {
            sv.putNull("lien_source");
        }
        if (t.semaines == null) {
            sv.putNull("nombre_semaines");
            sv.putNull("volume_horaire_hebdomadaire");
        } else {
            sv.put("nombre_semaines", t.semaines);
            sv.put("volume_horaire_hebdomadaire", t.heures);
        }
        double score = round(0.40 + Math.floorMod(h, 56) / 100.0, 2);
        return new Item(id, sv, score, Math.floorMod(h, 5) != 0, null, st.get("id").asText(), null);
    }

    // ---------------------------------------------------------------------------------------------- bad items

    /** Ids of the bad items, with why; the tests and {@code GET /double/fixtures} use them. */
    static final String BAD_V0_SERVICE = "dora--ccas-saint-quentin-epicerie-sociale";
    static final String BAD_V0_STRUCTURE = "dora--centre-social-marle";
    static final String BAD_TOUS_PUBLICS = "dora--epn-villers-cotterets-permanence-numerique";
    static final String BAD_DATE_1999 = "france-travail--ft-hirson-club-recherche-emploi";
    static final String BAD_DATE_FUTURE = "mission-locale--ml-laon-job-dating";
    static final String BAD_NOM = "dora--ml-chauny-antenne";
    /** A valid service whose name ends with "." (a warning only). */
    static final String WARNING_NOM_PERIOD = "dora--restos-du-coeur-chauny-acces-aux-droits";

    private static void addBadItems(List<Item> structures, List<Item> services, LocalDate today) {
        // A structure of the older v0 shape: datetime date_maj, typologie, labels_nationaux, presentation_*
        ObjectNode v0s = MAPPER.createObjectNode();
        v0s.put("id", BAD_V0_STRUCTURE);
        v0s.put("source", "dora");
        v0s.put("siret", siret("centre-social-marle", "v0"));
        v0s.putNull("rna");
        v0s.put("nom", "Centre social de Marle");
        v0s.put("commune", "Marle");
        v0s.put("code_postal", "02250");
        v0s.put("code_insee", "02468");
        v0s.put("adresse", "4 rue du Bourg");
        v0s.put("longitude", 3.772);
        v0s.put("latitude", 49.74);
        v0s.put("typologie", "CS");
        v0s.put("telephone", "03 23 20 41 10");
        v0s.put("courriel", "accueil@centre-social-marle.example.org");
        v0s.put("site_web", "https://www.centre-social-marle.example.org");
        v0s.put("presentation_resume", "Centre social rural");
        v0s.put("presentation_detail", "Centre social rural : familles, jeunesse, animation de la vie locale.");
        v0s.put("date_maj", "2023-06-12T09:30:00+02:00");
        v0s.put("antenne", false);
        v0s.putArray("labels_nationaux");
        v0s.putArray("labels_autres");
        v0s.putArray("thematiques").add("famille");
        structures.add(new Item(BAD_V0_STRUCTURE, v0s, 0.5, true, null, null,
                new Bad("date_maj", "schema:format", "v0 shape: date_maj is a date-time, v1 wants a date")));

        // A 2-character nom
        Commune chauny = Communes.byCode("02173");
        ObjectNode ml = MAPPER.createObjectNode();
        ml.put("source", "dora");
        ml.put("id", BAD_NOM);
        ml.put("nom", "ML");
        ml.put("date_maj", "2025-04-02");
        ml.putNull("siret");
        ml.put("description", "Antenne de la mission locale à Chauny, le mardi.");
        ml.put("adresse", "2 place du Marché");
        ml.put("code_postal", chauny.codePostal());
        ml.put("code_insee", chauny.code());
        ml.put("commune", chauny.nom());
        ml.put("latitude", chauny.latitude());
        ml.put("longitude", chauny.longitude());
        ml.putArray("reseaux_porteurs").add("mission-locale");
        structures.add(new Item(BAD_NOM, ml, 0, true, null, null,
                new Bad("nom", "schema:minLength", "nom of 2 characters (3 to 150)")));

        // A service of the older v0 shape: no description (presentation_*), frais and types as lists, profils
        ObjectNode v0 = MAPPER.createObjectNode();
        v0.put("id", BAD_V0_SERVICE);
        v0.put("structure_id", "dora--ccas-saint-quentin");
        v0.put("source", "dora");
        v0.put("nom", "Épicerie sociale");
        v0.put("presentation_resume", "Produits alimentaires et d’hygiène à prix réduit.");
        v0.put("presentation_detail", "L’épicerie sociale du CCAS propose des produits à 10 à 30 % de leur prix.");
        v0.putArray("types").add("aide-materielle");
        v0.putArray("thematiques").add("equipement-et-alimentation--alimentation");
        v0.putArray("frais").add("payant");
        v0.put("frais_autres", "10 à 30 % du prix");
        v0.putArray("profils").add("familles-enfants").add("beneficiaires-rsa");
        v0.putArray("modes_accueil").add("en-presentiel");
        v0.putArray("modes_orientation_accompagnateur").add("telephoner");
        v0.putArray("modes_orientation_beneficiaire").add("se-presenter");
        v0.put("zone_diffusion_type", "commune");
        v0.put("zone_diffusion_code", "02691");
        v0.put("zone_diffusion_nom", "Saint-Quentin");
        v0.put("code_insee", "02691");
        v0.put("commune", "Saint-Quentin");
        v0.put("code_postal", "02100");
        v0.put("latitude", 49.847);
        v0.put("longitude", 3.287);
        v0.put("date_creation", "2022-03-01");
        v0.put("date_maj", "2024-05-02");
        v0.put("contact_public", true);
        v0.put("cumulable", true);
        services.add(new Item(BAD_V0_SERVICE, v0, 0.45, true, null, "dora--ccas-saint-quentin",
                new Bad("description", "schema:required", "v0 shape: presentation_* instead of description, frais as a list")));

        // Valid services but for one rule each
        ObjectNode tp = clone(services, "dora--epn-villers-cotterets-initiation-numerique");
        tp.put("id", BAD_TOUS_PUBLICS);
        tp.put("nom", "Permanence numérique");
        tp.putArray("publics").add("tous-publics").add("jeunes");
        services.add(new Item(BAD_TOUS_PUBLICS, tp, 0.6, true, null, "dora--epn-villers-cotterets",
                new Bad("publics", SchemaCheck.TOUS_PUBLICS, "tous-publics with another public")));

        ObjectNode old = clone(services, "france-travail--ft-hirson-atelier-cv");
        old.put("id", BAD_DATE_1999);
        old.put("nom", "Club de recherche d’emploi");
        old.put("date_maj", "1999-12-31");
        services.add(new Item(BAD_DATE_1999, old, 0.5, true, null, "france-travail--ft-hirson",
                new Bad("date_maj", SchemaCheck.DATE_MAJ, "date_maj before 2000-01-01")));

        ObjectNode future = clone(services, "mission-locale--ml-laon-cej");
        future.put("id", BAD_DATE_FUTURE);
        future.put("nom", "Job dating de la mission locale");
        future.put("type", "information");
        future.put("date_maj", today.plusDays(400).toString());
        services.add(new Item(BAD_DATE_FUTURE, future, 0.55, true, null, "mission-locale--ml-laon",
                new Bad("date_maj", SchemaCheck.DATE_MAJ, "date_maj in the future")));
    }

    private static ObjectNode clone(List<Item> services, String id) {
        return services.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow().json().deepCopy();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Stable across JVMs ({@link String#hashCode()} is specified), spread a little. */
    private static int hash(String s) {
        int h = s.hashCode();
        h ^= (h >>> 16);
        h *= 0x45d9f3b;
        h ^= (h >>> 16);
        return h & 0x7fffffff;
    }

    private static LocalDate dateMaj(String id) {
        return FIRST_DATE_MAJ.plusDays(Math.floorMod(hash(id + "#date"), 560));
    }

    private static String phone(Commune c, int h) {
        String area = switch (c.departement()) {
            case "60" -> "03 44";
            case "51" -> "03 26";
            default -> "03 23";
        };
        int n = Math.floorMod(h, 1_000_000);
        return String.format("%s %02d %02d %02d", area, n / 10_000, (n / 100) % 100, n % 100);
    }

    /** A fictitious SIRET: SIREN and SIRET both pass the Luhn check, as real ones do. */
    static String siret(String seed, String salt) {
        int h = hash(seed + "#" + salt);
        String siren8 = String.format("%08d", Math.floorMod(h, 100_000_000));
        if (siren8.charAt(0) == '0') {
            siren8 = "4" + siren8.substring(1);
        }
        String siren = siren8 + luhnDigit(siren8);
        String nic4 = String.format("%04d", 10 + Math.floorMod(h / 7, 90));
        return siren + nic4 + luhnDigit(siren + nic4);
    }

    static boolean luhnValid(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static char luhnDigit(String prefix) {
        for (char c = '0'; c <= '9'; c++) {
            if (luhnValid(prefix + c)) {
                return c;
            }
        }
        throw new IllegalStateException();
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static void array(ObjectNode node, String field, String... values) {
        ArrayNode a = node.putArray(field);
        for (String v : values) {
            a.add(v);
        }
    }

    private static void text(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
