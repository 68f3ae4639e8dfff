package fr.aisne.hub.doubles.caf;

/**
 * Reference data of the generator: names (with the accents, hyphens, apostrophes and the {@code œ} of windows-1252
 * that real files carry), communes and CNAF codes (from the CNAF dictionary as used by departments' software).
 */
final class Tables {
    private Tables() {
    }

    static final String[] SURNAMES = {
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent",
        "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
        "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
        "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
        "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Roger",
        "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Pérez", "Marchand", "Dufour", "Blanchard",
        "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandes", "Renard", "Caron",
        "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Leclercq",
        "Lacroix", "Fabre", "Dupuis", "Da Silva", "Hubert", "Rivière", "Le Gall", "Ménard", "Fleury", "Deschamps",
        "Carpentier", "Benoît", "Maillard", "Aubry", "Vasseur", "Prévost", "Poirier", "Charpentier", "Carré", "Rémy",
        "Delattre", "Delahaye", "Devaux", "Dufossé", "Lecointe", "Leclère", "Hénon", "Bréant", "Lebœuf", "Wattiez",
        "Dubois-Martin", "Martin-Lefèvre", "N'Diaye", "D'Almeida", "Benali", "Haddad", "Diallo", "Traoré", "Pereira",
        "Ferreira", "Gomes", "Mendès", "Kowalski", "Delcroix", "Vandenbussche", "Lenoir", "Leblanc", "Desmarets",
    };

    static final String[] MEN = {
        "Jérôme", "Stéphane", "Frédéric", "Sébastien", "Thierry", "Pascal", "Hervé", "Gérard", "Rémi", "Grégory",
        "Cédric", "Jean-François", "Noël", "Loïc", "Jérémy", "Kévin", "Mickaël", "Anthony", "Mohamed", "Karim",
        "Mehdi", "Julien", "Nicolas", "David", "Christophe", "Laurent", "Olivier", "Franck", "Ludovic", "Aurélien",
        "Benoît", "Joël", "Raphaël", "Bruno", "Éric", "Didier", "Patrice", "Yannick", "Dylan", "Maxime",
        "Ibrahima", "Mamadou", "Rachid", "Jean-Noël", "Hugues", "Fabrice", "Régis", "José", "Ahmed", "Bastien",
    };

    static final String[] WOMEN = {
        "Hélène", "Françoise", "Valérie", "Sandrine", "Nathalie", "Séverine", "Aurélie", "Émilie", "Mélanie", "Céline",
        "Stéphanie", "Sophie", "Laetitia", "Noëlle", "Chloé", "Zoé", "Agnès", "Bérénice", "Maëlle", "Gaëlle",
        "Jessica", "Audrey", "Virginie", "Karine", "Fatima", "Samira", "Aïcha", "Ophélie", "Déborah", "Élodie",
        "Cindy", "Amélie", "Justine", "Inès", "Léa", "Océane", "Anaïs", "Mégane", "Sabrina", "Joëlle",
    };

    static final String[] BOYS = {
        "Lucas", "Théo", "Noé", "Léo", "Enzo", "Nathan", "Mathéo", "Raphaël", "Gaël", "Maël",
        "Timéo", "Loïs", "Jules", "Hugo", "Louis", "Gabriel", "Adam", "Éthan", "Nolan", "Kylian",
        "Mathis", "Rayan", "Ilyès", "Aaron", "Clément", "Noah", "Sacha", "Évan", "Tom", "Jérémy",
    };

    static final String[] GIRLS = {
        "Zoé", "Chloé", "Léa", "Inès", "Maëlys", "Noémie", "Jade", "Manon", "Léna", "Emma",
        "Louise", "Alicia", "Anaïs", "Lina", "Lou", "Mélina", "Océane", "Rose", "Ambre", "Célia",
        "Héloïse", "Léonie", "Maëlle", "Nina", "Clémence", "Élise", "Juliette", "Agathe", "Noëlla", "Zélie",
    };

    /**
     * Places of birth by department: {department, then pairs of (3-digit commune code, NOMCOMNAI)}. The Aisne
     * list has exactly ten communes, which the NIR numbering relies on (see {@code Population#nirSlot}).
     */
    static final String[][] BIRTH_PLACES = {
        {"02", "691", "SAINT QUENTIN", "408", "LAON", "722", "SOISSONS", "168", "CHATEAU THIERRY", "173", "CHAUNY",
            "738", "TERGNIER", "381", "HIRSON", "810", "VILLERS COTTERETS", "361", "GUISE", "095",
            "BOHAIN EN VERMANDOIS"},
        {"59", "350", "LILLE", "512", "ROUBAIX", "599", "TOURCOING", "183", "DUNKERQUE", "606", "VALENCIENNES",
            "178", "DOUAI", "122", "CAMBRAI", "392", "MAUBEUGE", "009", "VILLENEUVE D ASCQ", "017", "ARMENTIERES"},
        {"80", "021", "AMIENS", "001", "ABBEVILLE"},
        {"60", "057", "BEAUVAIS", "159", "COMPIEGNE", "175", "CREIL", "471", "NOYON"},
        {"51", "454", "REIMS", "108", "CHALONS EN CHAMPAGNE", "230", "EPERNAY"},
        {"75", "101", "PARIS 1ER ARRONDISSEMENT", "102", "PARIS 2E ARRONDISSEMENT", "103", "PARIS 3E ARRONDISSEMENT",
            "104", "PARIS 4E ARRONDISSEMENT", "105", "PARIS 5E ARRONDISSEMENT", "106", "PARIS 6E ARRONDISSEMENT",
            "107", "PARIS 7E ARRONDISSEMENT", "108", "PARIS 8E ARRONDISSEMENT", "109", "PARIS 9E ARRONDISSEMENT",
            "110", "PARIS 10E ARRONDISSEMENT"},
        {"93", "066", "SAINT DENIS", "048", "MONTREUIL", "008", "BOBIGNY", "001", "AUBERVILLIERS", "050",
            "NEUILLY SUR MARNE"},
        {"2A", "004", "AJACCIO"},
        {"2B", "033", "BASTIA"},
        {"99", "352", "ORAN (ALGERIE)", "350", "CASABLANCA (MAROC)", "351", "TUNIS (TUNISIE)", "139",
            "PORTO (PORTUGAL)", "131", "BRUXELLES (BELGIQUE)", "208", "ISTANBUL (TURQUIE)", "341", "DAKAR (SENEGAL)",
            "335", "BAMAKO (MALI)", "326", "ABIDJAN (COTE D IVOIRE)", "134", "MADRID (ESPAGNE)"},
    };

    /**
     * Cumulated weights (per mille) of {@link #BIRTH_PLACES} for adults and for children. A department whose list
     * has n &lt; 10 communes only keeps n/10 of its draws (the others go to the Aisne), hence raw weights inflated by
     * 10/n; effective shares, adults: 02 70%, 99 8%, 59 7%, 80 4%, 60 3%, 75 3%, 51 2%, 93 2%, 2A/2B 0.5% each;
     * children: 02 about 88%.
     */
    static final int[] ADULT_BIRTH_WEIGHTS = {338, 408, 608, 683, 750, 780, 820, 870, 920, 1000};
    static final int[] CHILD_BIRTH_WEIGHTS = {703, 743, 843, 893, 910, 920, 940, 960, 980, 1000};

    /** Aisne communes of residence: INSEE code, postal code, name; with cumulated weights (per mille). */
    static final String[][] RESIDENCES = {
        {"02691", "02100", "SAINT QUENTIN"}, {"02722", "02200", "SOISSONS"}, {"02408", "02000", "LAON"},
        {"02168", "02400", "CHATEAU THIERRY"}, {"02173", "02300", "CHAUNY"}, {"02738", "02700", "TERGNIER"},
        {"02381", "02500", "HIRSON"}, {"02810", "02600", "VILLERS COTTERETS"}, {"02361", "02120", "GUISE"},
        {"02095", "02110", "BOHAIN EN VERMANDOIS"},
    };
    static final int[] RESIDENCE_WEIGHTS = {330, 470, 590, 690, 780, 850, 900, 940, 970, 1000};

    static final String[] STREET_TYPES = {"RUE", "RUE", "RUE", "RUE", "AVENUE", "BOULEVARD", "PLACE", "IMPASSE",
        "ALLEE", "CHEMIN", "RESIDENCE", "CITE"};

    static final String[] STREETS = {
        "JEAN JAURES", "DE LA REPUBLIQUE", "VICTOR HUGO", "DES ECOLES", "DU GENERAL DE GAULLE", "PASTEUR",
        "GAMBETTA", "EMILE ZOLA", "DE L EGLISE", "DES PRES", "DU MOULIN", "D ISLE", "DE LA GARE", "SAINT MARTIN",
        "DES TILLEULS", "DU 8 MAI 1945", "ANATOLE FRANCE", "ROGER SALENGRO", "JULES FERRY", "DES JARDINS",
        "DU CHATEAU", "DE PARIS", "DE GUISE", "DU CHAMP DE MARS", "ALSACE LORRAINE", "RASPAIL", "PIERRE CURIE",
        "DE LA PAIX", "DES ROSES", "DU FAUBOURG SAINT JEAN",
    };

    static final String[] BUILDINGS = {"RESIDENCE LES TILLEULS", "BATIMENT C", "RESIDENCE DU PARC", "LOGEMENT 104",
        "RESIDENCE EUROPE", "BATIMENT A ESCALIER 2"};

    static final String[] SITFAM_ALONE = {"CEL", "CEL", "CEL", "CEL", "CEL", "CEL", "DIV", "DIV", "SEF", "ISO",
        "VEU"};
    static final String[] SITFAM_PARENT = {"CEL", "CEL", "CEL", "CEL", "DIV", "DIV", "DIV", "SEF", "SEF", "ISO"};
    static final String[] SITFAM_COUPLE = {"MAR", "MAR", "MAR", "MAR", "VIM", "VIM", "VIM", "VIM", "PAC", "PAC"};

    /** MOTIREFURSA. */
    static final String[] REFUS = {"DSD", "DSD", "F09", "F04", "F02", "PCG"};
    /** MOTISUSDRORSA (ETATDOSRSA 3). */
    static final String[] SUSPENSION_DROIT = {"DB", "DB", "DC", "DL", "DM", "GR", "GK", "GL", "GJ", "DI"};
    /** MOTISUSVERSRSA (ETATDOSRSA 4). */
    static final String[] SUSPENSION_VERSEMENT = {"06", "06", "06", "05", "01", "09", "36", "CV", "CG", "AB"};
    /** MOTICLORSA (ETATDOSRSA 5 and 6). */
    static final String[] CLOTURE = {"ECH", "ECH", "ECH", "RFD", "RFD", "RAU", "MUT", "PCG"};

    static final String FT_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";

    static int pick(int[] cumulatedPerMille, int draw) {
        for (int i = 0; i < cumulatedPerMille.length; i++) {
            if (draw < cumulatedPerMille[i]) {
                return i;
            }
        }
        return cumulatedPerMille.length - 1;
    }
}
