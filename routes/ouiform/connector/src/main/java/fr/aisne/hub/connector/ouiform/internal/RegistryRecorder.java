package fr.aisne.hub.connector.ouiform.internal;

import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.connector.ouiform.contract.Messages;
import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * What OuiForm says about a person's training, recorded in the registry with its provenance (partner ouiform, the
 * journal id of the exchange that said it): {@code formation_prescription}, {@code formation_session},
 * {@code formation_statut}, {@code formation_statut_date}.
 * <p>
 * The registry places an observation by NIR or by a partner identifier, never by its own person id. This connector
 * never reads the NIR (the contract carries none), so it keys its observations with the prescription itself: when
 * OuiForm registers a prescription, the observation carries one identifier the person already holds (France Travail's
 * number first) together with the new identifier {@code ouiform:prescription = <idPrescriptionHub>}; every later
 * status of that prescription is then placed by {@code ouiform:prescription} alone. A person who holds no partner
 * identifier at all (no France Travail number yet) cannot be placed without the NIR: the prescription still goes to
 * OuiForm and its statuses to the department's event feed, but not into the registry, and the journal says so.
 */
final class RegistryRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRecorder.class);
    static final String PARTNER = "ouiform";
    /** The identifier every observation of a prescription is placed by. */
    static final String PRESCRIPTION_KEY = "ouiform:prescription";

    private final PersonRegistry registry;
    private final Clock clock;

    RegistryRecorder(PersonRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** An identifier the person already holds at a partner ("partner:kind" and value), France Travail's first. */
    static Optional<Map.Entry<String, String>> anchor(ConsolidatedPerson p) {
        return p.identifiers().stream().filter(i -> !PARTNER.equals(i.partner()) && i.value() != null
                && !i.value().isBlank())
                .min(Comparator.comparing((ConsolidatedPerson.Identifier i) -> !("france-travail".equals(i.partner())
                        && "numero".equals(i.kind()))).thenComparing(i -> i.partner() + ":" + i.kind()))
                .map(i -> Map.entry(i.partner() + ":" + i.kind(), i.value()));
    }

    /**
     * Records the prescription OuiForm registered (status prescrit) on the person, attaching
     * {@code ouiform:prescription}. Returns the detail for the journal, and whether the statuses can be recorded.
     */
    Recorded prescrit(ConsolidatedPerson person, String idHub, String idSession, String statut, String dateEffet,
            String exchangeId) {
        Optional<Map.Entry<String, String>> anchor = anchor(person);
        if (anchor.isEmpty()) {
            return new Recorded(false, "registry: not recorded (the person holds no partner identifier to place the "
                    + "observation by, and this connector never reads the NIR); statuses will go to the event feed only");
        }
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(anchor.get().getKey(), anchor.get().getValue());
        ids.put(PRESCRIPTION_KEY, idHub);
        MatchResult r = registry.observe(new PersonObservation(PARTNER, exchangeId, clock.instant(), null, ids,
                attributes(idHub, idSession, statut, dateEffet), null));
        return new Recorded(checked(r, person.id()), "registry: " + r.outcome() + " (" + r.how() + ") person "
                + r.personId() + ", formation_statut " + statut + ", identifier " + PRESCRIPTION_KEY);
    }

    /** Records a status on the person of the prescription (placed by {@code ouiform:prescription}). */
    String statut(String personId, Messages.EvenementStatut e, String idSession, String exchangeId) {
        MatchResult r = registry.observe(new PersonObservation(PARTNER, exchangeId, clock.instant(), null,
                Map.of(PRESCRIPTION_KEY, e.idPrescriptionHub()), attributes(e.idPrescriptionHub(), idSession, e.statut(),
                        e.dateEffet()), null));
        checked(r, personId);
        return "registry: " + r.outcome() + " (" + r.how() + ") person " + r.personId() + ", formation_statut "
                + e.statut();
    }

    /** The commune of residence the department gave, for the next prescriptions (provenance departement). */
    String commune(ConsolidatedPerson person, Messages.Commune c, String exchangeId) {
        Optional<Map.Entry<String, String>> anchor = anchor(person);
        if (anchor.isEmpty()) {
            return "commune given by the request not recorded (no partner identifier to place it by)";
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(Beneficiaires.COMMUNE_INSEE, c.codeInsee());
        attributes.put(Beneficiaires.COMMUNE_LIBELLE, c.libelle());
        if (c.codePostal() != null) {
            attributes.put(Beneficiaires.COMMUNE_CODE_POSTAL, c.codePostal());
        }
        MatchResult r = registry.observe(new PersonObservation("departement", exchangeId, clock.instant(), null,
                Map.of(anchor.get().getKey(), anchor.get().getValue()), attributes, null));
        checked(r, person.id());
        return "commune given by the request recorded in the registry (provenance departement)";
    }

    private static Map<String, String> attributes(String idHub, String idSession, String statut, String dateEffet) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("formation_prescription", idHub);
        a.put("formation_session", idSession);
        a.put("formation_statut", statut);
        a.put("formation_statut_date", dateEffet);
        return a;
    }

    private static boolean checked(MatchResult r, String personId) {
        if (r.outcome() != MatchResult.Outcome.CERTAIN || !personId.equals(r.personId())) {
            LOG.warn("OuiForm observation for person {} placed by the registry as {} on {} ({}): check", personId,
                    r.outcome(), r.personId(), r.how());
            return false;
        }
        return true;
    }

    /** What recording the prescription did. */
    record Recorded(boolean placed, String detail) {
    }
}
