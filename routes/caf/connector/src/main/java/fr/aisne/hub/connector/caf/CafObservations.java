package fr.aisne.hub.connector.caf;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.registry.PersonObservation;

/**
 * Maps a CAF household to what the registry records: one observation per person, with the household and
 * the person's role. Only what the department needs (minimisation): identity, NIR, France Travail
 * identifier, rights and duties, state of the RSA file and the date it left the RSA.
 */
public final class CafObservations {
    public static final String PARTNER = "caf";

    private CafObservations() {
    }

    public static List<PersonObservation> of(CafFlux.Household h, String exchangeId, Instant observedAt) {
        List<PersonObservation> out = new ArrayList<>(h.persons().size());
        boolean closed = "5".equals(h.etatdosrsa()) || "6".equals(h.etatdosrsa());
        for (CafFlux.Person p : h.persons()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            put(attributes, "nom_naissance", p.nomnai());
            put(attributes, "nom_usage", p.nom());
            put(attributes, "prenom", p.prenom());
            put(attributes, "date_naissance", date(p.dtnai()));
            put(attributes, "sexe", p.sexe());
            attributes.put("soumis_droits_devoirs", p.soumisDroitsEtDevoirs() ? "1" : "0");
            put(attributes, "etat_dossier_rsa", h.etatdosrsa());
            // empty when the file is open: a reopening clears an earlier exit date
            attributes.put("date_sortie_rsa", closed ? date(h.dtclorsa()) : "");
            Map<String, String> identifiers = new LinkedHashMap<>();
            if (p.idassedic() != null && !p.idassedic().isBlank()) {
                identifiers.put("france-travail:numero", p.idassedic().trim());
            }
            String role = p.rolepers() == null ? "AUT" : p.rolepers().trim();
            out.add(new PersonObservation(PARTNER, exchangeId, observedAt,
                    p.nir() == null || p.nir().isBlank() ? null : p.nir(), identifiers, attributes,
                    new PersonObservation.Household(h.numorg(), h.matricule(), role)));
        }
        return out;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v.trim());
        }
    }

    private static String date(LocalDate d) {
        return d == null ? "" : d.toString();
    }
}
