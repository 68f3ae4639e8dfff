package fr.aisne.hub.connector.ouiform.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The messages of the OuiForm contract v1, one model behind both bindings: each record is, field for field and in
 * the same order, the XSD complex type of the same name (ouiform-v1.xsd) and the OpenAPI schema of the same name
 * (ouiform-v1.openapi.yaml). {@link ContractXml} turns them into the XML elements, Jackson into the JSON objects;
 * values are kept as the contract writes them (dates and timestamps as text), the schema checks them.
 */
public final class Messages {
    private Messages() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Commune(String codeInsee, String codePostal, String libelle) {
    }

    /** The person: only what the Région is entitled to. The type is closed: there is no NIR in this contract. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Beneficiaire(String nom, String prenom, String dateNaissance, Commune commune,
            String numeroFranceTravail) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Referent(String nom, String prenom, String courriel, String telephone) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prescripteur(String siret, String libelle, Referent referent) {
    }

    /** Element {@code soumettrePrescription}, JSON {@code Prescription}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prescription(String idPrescriptionHub, String datePrescription, String idSession, String idAction,
            Beneficiaire beneficiaire, Prescripteur prescripteur) {
    }

    /** Element {@code soumettrePrescriptionReponse}, JSON {@code EtatPrescription}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EtatPrescription(String idPrescriptionOuiForm, String idPrescriptionHub, String idSession,
            String statut, String dateEffet, String motif, String horodatage, Long sequence) {
    }

    /** Element {@code notifierStatut}, JSON {@code EvenementStatut}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EvenementStatut(String idEvenement, String idPrescriptionOuiForm, String idPrescriptionHub,
            Long sequence, String statut, String dateEffet, String motif, String horodatage) {
    }

    /** Element {@code notifierStatutReponse}: etat ACCEPTE or DEJA_RECU. */
    public record NotifierStatutReponse(String idEvenement, String etat) {
    }

    /** Element {@code publierSessionsReponse}. */
    public record PublierSessionsReponse(String idPublication, Long nombreFormations, Long nombreActions,
            Long nombreSessions) {
    }

    /**
     * Element {@code erreur} (a SOAP fault's detail), JSON {@code Erreur}. In XML each field concerned is a repeated
     * {@code champ} element, in JSON the array {@code champs}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Erreur(String code, String message, String idPrescriptionOuiForm, List<String> champs) {
    }
}
