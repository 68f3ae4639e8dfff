package fr.aisne.hub.connector.ouiform.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;

import org.w3c.dom.Element;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.core.JsonProcessingException;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.ouiform.contract.Contract;
import fr.aisne.hub.connector.ouiform.contract.ContractXml;
import fr.aisne.hub.connector.ouiform.contract.Messages;

/**
 * What the department posts to {@code /hub/in/departement/prescriptions-formation}: the person's registry id, the
 * session, the referent, and nothing of the person's identity (the hub fills it from the registry, through the
 * disclosure rules: no re-entry). {@code commune} is only for a person whose commune of residence the registry does
 * not hold yet; it is then recorded there (provenance departement) for the next time.
 *
 * @param personId         the registry id of the person
 * @param idSession        LHEO session/@numero of the regional catalogue
 * @param idAction         LHEO action/@numero, informative
 * @param datePrescription the referent's decision (yyyy-MM-dd), today (Paris) by default
 * @param referent         the department's referent following the person (professional contact)
 * @param prescripteur     the prescribing structure, when not the one of the settings (prescripteur.siret)
 * @param commune          the commune of residence, only when the registry holds none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PrescriptionRequest(String personId, String idSession, String idAction, String datePrescription,
        Messages.Referent referent, Structure prescripteur, Messages.Commune commune) {

    /** The prescribing structure. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Structure(String siret, String libelle) {
    }

    static final int MAX_BYTES = 64 * 1024;
    private static final Pattern PERSON_ID = Pattern.compile("[A-Za-z0-9-]{1,36}");
    /** Placeholder id while checking a request: the real one is given at its first delivery. */
    private static final String PLACEHOLDER_ID = "HUB-0000-000000";

    static PrescriptionRequest parse(InputStream in) throws ValidationException, IOException {
        byte[] raw = in.readNBytes(MAX_BYTES + 1);
        if (raw.length > MAX_BYTES) {
            throw new ValidationException("a prescription request is at most " + MAX_BYTES + " bytes");
        }
        try {
            PrescriptionRequest r = Json.MAPPER.readValue(raw, PrescriptionRequest.class);
            if (r == null) {
                throw new ValidationException("a JSON object is expected");
            }
            return r;
        } catch (UnrecognizedPropertyException e) {
            throw new ValidationException("unknown field " + Redaction.name(e.getPropertyName())
                    + ": a prescription gives personId, idSession, idAction, datePrescription, referent, prescripteur and "
                    + "commune only; the person's identity comes from the registry (no re-entry)");
        } catch (java.io.CharConversionException e) {
            throw new ValidationException("not a prescription request: not JSON text in UTF-8");
        } catch (JsonProcessingException e) {
            // Jackson quotes the value it could not bind, in quotes or not ("from Number value (1850578006084)")
            throw new ValidationException("not a prescription request (JSON): " + Redaction.partnerText(
                    e.getOriginalMessage().replaceAll("\"[^\"]*\"", "\"…\"")),
                    e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? -1 : e.getLocation().getColumnNr());
        }
    }

    /**
     * The flow's validator: the request's own fields checked against the contract's schema (the message it will make,
     * with an empty beneficiary), so that a wrong SIRET, e-mail or session id is refused at once, by the same rules
     * OuiForm applies.
     */
    static PayloadValidator validator(Contract contract, String defaultSiret) {
        return in -> {
            PrescriptionRequest r = parse(in);
            if (r.personId() == null || !PERSON_ID.matcher(r.personId()).matches()) {
                throw new ValidationException("personId is required: the person's id in the registry");
            }
            if (r.idSession() == null) {
                throw new ValidationException("idSession is required: session/@numero of the regional catalogue");
            }
            if (r.referent() == null) {
                throw new ValidationException("referent is required: nom and courriel of the referent who follows the "
                        + "person");
            }
            String siret = r.prescripteur() != null && r.prescripteur().siret() != null ? r.prescripteur().siret()
                    : defaultSiret;
            if (siret == null) {
                throw new ValidationException("prescripteur.siret is required (no prescripteur.siret in "
                        + OuiFormSettings.FILE + ")");
            }
            Messages.Prescription shape = r.toMessage(PLACEHOLDER_ID, r.datePrescription() == null ? "2000-01-01"
                    : r.datePrescription(), new Messages.Beneficiaire(null, null, null, r.commune(), null), siret,
                    "libelle");
            Element e = ContractXml.toXml(contract.newDocument(), "soumettrePrescription", shape);
            List<String> problems = contract.problems(e);
            if (!problems.isEmpty()) {
                throw new ValidationException("does not follow the OuiForm contract: " + String.join("; ", problems)
                        .replace("/soumettrePrescription/beneficiaire/commune", "commune")
                        .replace("/soumettrePrescription/prescripteur/referent", "referent")
                        .replace("/soumettrePrescription/", ""));
            }
        };
    }

    /** The contract's message for this request, with the hub's id, the date and the beneficiary filled in. */
    Messages.Prescription toMessage(String idHub, String date, Messages.Beneficiaire beneficiaire, String siret,
            String defaultLibelle) {
        String libelle = prescripteur != null && prescripteur.libelle() != null ? prescripteur.libelle() : defaultLibelle;
        return new Messages.Prescription(idHub, date, idSession, idAction, beneficiaire,
                new Messages.Prescripteur(siret, libelle, referent));
    }
}
