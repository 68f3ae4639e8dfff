package fr.aisne.hub.doubles.francetravail;

import java.util.List;

/**
 * OAuth2 scopes of the France Travail partner APIs the double serves (realm {@code /partenaire}). Each API needs
 * its {@code api_<name>v<version>} scope; rechercher-usager also needs the functional scope
 * {@code rechercheusager}, and the person-scoped calls (those carrying {@code ft-jeton-usager}) also need
 * {@code profil_accedant}.
 */
final class Scopes {
    static final String RECHERCHER_USAGER = "api_rechercher-usagerv2";
    static final String RECHERCHE_USAGER_FONCTIONNEL = "rechercheusager";
    static final String PROFIL_ACCEDANT = "profil_accedant";
    static final String ORIENTATION = "api_orientationusagerv1";
    static final String INFORMATIONS_ADMINISTRATIVES = "api_informations-administrativesv1";
    static final String CONTRAT = "api_contrat-usagerv2";
    static final String RQTH = "api_donnees-rqthv1";
    static final String RENDEZ_VOUS = "api_rendez-vous-partenairev1";

    /** Every scope above: what the default client may ask for. */
    static final List<String> ALL = List.of(RECHERCHER_USAGER, RECHERCHE_USAGER_FONCTIONNEL, PROFIL_ACCEDANT,
            ORIENTATION, INFORMATIONS_ADMINISTRATIVES, CONTRAT, RQTH, RENDEZ_VOUS);

    private Scopes() {
    }
}
