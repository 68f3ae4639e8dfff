package fr.aisne.hub.connector.ouiform.lheo;

import java.math.BigDecimal;

/**
 * One session of the regional catalogue, flattened with its action and formation: what a prescription names
 * ({@link #numero()}, LHEO {@code session/@numero}) and what the department searches on. Text fields are plain text
 * (HTML removed, "Non renseigné" as null), prices and durations decimals (the decimal comma read), dates
 * {@link LheoDate}s (sentinels and month- or year-only dates kept as such).
 *
 * @param numero            session/@numero
 * @param actionNumero      action/@numero (not unique in the regional file: several actions share one)
 * @param formationNumero   formation/@numero
 * @param intitule          intitule-formation
 * @param objectif          objectif-formation, plain text, cut at 2,000 characters
 * @param formacode         first domaine-formation/code-FORMACODE
 * @param rome              first domaine-formation/code-ROME
 * @param certifiante       certifiante = 1
 * @param organismeSiret    organisme-formation-responsable SIRET
 * @param organismeNom      raison-sociale (or nom-organisme)
 * @param lieu              the main place: lieu-de-formation[@tag="principal"], else the first one
 * @param debut             session/periode/debut
 * @param fin               session/periode/fin
 * @param etatRecrutement   1 open, 2 closed, 3 suspended; null when absent (open)
 * @param prixTotalTtc      action/prix-total-TTC read, or null
 * @param prixTotalTexte    action/prix-total-TTC as written (kept when it is not a number)
 * @param dureeHebdo        action/extras[@info="duree-hebdo"]/extra, hours a week
 * @param nombreHeuresTotal action/nombre-heures-total
 * @param datemaj           session/@datemaj, else action's, else formation's (00000000 when unknown)
 */
public record LheoSession(String numero, String actionNumero, String formationNumero, String intitule, String objectif,
        String formacode, String rome, boolean certifiante, String organismeSiret, String organismeNom, Lieu lieu,
        LheoDate debut, LheoDate fin, Integer etatRecrutement, BigDecimal prixTotalTtc, String prixTotalTexte,
        BigDecimal dureeHebdo, Integer nombreHeuresTotal, LheoDate datemaj) {

    /** A place: lieu-de-formation/coordonnees/adresse. */
    public record Lieu(String codePostal, String ville, String codeInsee) {
    }

    /** Open to prescriptions: etat-recrutement 1, or not given. */
    public boolean ouverte() {
        return etatRecrutement == null || etatRecrutement == 1;
    }
}
