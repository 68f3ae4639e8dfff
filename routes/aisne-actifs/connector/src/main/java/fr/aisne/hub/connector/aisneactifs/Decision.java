package fr.aisne.hub.connector.aisneactifs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.registry.DepartmentEvent;

/**
 * The referents' decisions of contract v1, each with its path ({@code /hub/in/aisne-actifs/<path>}), its JSON
 * Schema ({@code schemas/<path>.schema.json}, docs/contracts/aisne-actifs/v1) and its mapping to registry attributes
 * and department events (the shared names: docs/contracts/aisne-actifs/VOCABULARY.md, and
 * routes/aisne-actifs/README.md).
 */
enum Decision {
    ORIENTATION("orientation"),
    REFERENT("referent"),
    CONTRAT_ENGAGEMENT("contrat-engagement"),
    RENDEZ_VOUS("rendez-vous"),
    REORIENTATION("reorientation"),
    SANCTION("sanction"),
    ACTION_ENTREE("action-entree"),
    ACTION_SORTIE("action-sortie");

    final String path;

    Decision(String path) {
        this.path = path;
    }

    String schemaResource() {
        return "schemas/" + path + ".schema.json";
    }

    /** What one decision means for the registry (attributes, empty for none) and the event feed. */
    record Mapped(Map<String, String> attributes, String eventType, Map<String, String> details, Instant occurredAt) {
    }

    /** Maps a decision already validated by its schema. */
    Mapped map(JsonNode d) {
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> e = new LinkedHashMap<>();
        String type;
        switch (this) {
            case ORIENTATION -> {
                type = DepartmentEvent.ORIENTATION_DECIDED;
                a.put("orientation_parcours", text(d, "parcours"));
                a.put("orientation_organisme_type", text(d.path("organisme"), "type"));
                a.put("orientation_organisme", organisation(d.path("organisme")));
                a.put("orientation_date", text(d, "date"));
                e.put("parcours", text(d, "parcours"));
                e.put("origine", d.hasNonNull("origine") ? text(d, "origine") : "DEPARTEMENT");
                e.put("organisme_type", text(d.path("organisme"), "type"));
                e.put("organisme", organisation(d.path("organisme")));
                e.put("date", text(d, "date"));
            }
            case REFERENT -> {
                type = DepartmentEvent.REFERENT_DESIGNATED;
                JsonNode r = d.path("referent");
                String name = r.hasNonNull("prenom") ? text(r, "prenom") + " " + text(r, "nom") : text(r, "nom");
                a.put("referent_id", text(r, "id"));
                a.put("referent_nom", name);
                a.put("referent_organisme", organisation(r.path("organisme")));
                e.put("referent_id", text(r, "id"));
                e.put("organisme", organisation(r.path("organisme")));
            }
            case CONTRAT_ENGAGEMENT -> {
                type = DepartmentEvent.CER_SIGNED;
                LocalDate signed = LocalDate.parse(text(d, "dateSignature"));
                String end = d.hasNonNull("dateFin") ? text(d, "dateFin")
                        : signed.plusMonths(d.path("dureeMois").asInt()).minusDays(1).toString();
                a.put("cer_date_signature", signed.toString());
                a.put("cer_duree_mois", Integer.toString(d.path("dureeMois").asInt()));
                a.put("cer_heures_hebdo", Integer.toString(d.path("heuresHebdo").asInt()));
                a.put("cer_date_fin", end);
                e.put("date_signature", signed.toString());
                e.put("duree_mois", Integer.toString(d.path("dureeMois").asInt()));
                e.put("heures_hebdo", Integer.toString(d.path("heuresHebdo").asInt()));
            }
            case RENDEZ_VOUS -> {
                type = switch (text(d, "statut")) {
                    case "honore" -> DepartmentEvent.APPOINTMENT_HONOURED;
                    case "non-honore" -> DepartmentEvent.APPOINTMENT_MISSED;
                    default -> DepartmentEvent.APPOINTMENT_PLANNED;
                };
                e.put("date", OffsetDateTime.parse(text(d, "date")).toLocalDate().toString());
                e.put("organisme", organisation(d.path("organisme")));
                e.put("rendez_vous_id", text(d, "rendezVousId"));
            }
            case REORIENTATION -> {
                type = DepartmentEvent.REORIENTATION_REQUESTED;
                e.put("motif", text(d, "motif"));
                e.put("parcours_demande", text(d, "parcoursDemande"));
            }
            case SANCTION -> {
                type = DepartmentEvent.SANCTION_REQUESTED;
                e.put("motif", text(d, "motif"));
                e.put("date_constat", text(d, "dateConstat"));
            }
            case ACTION_ENTREE -> {
                type = DepartmentEvent.ACTION_ENTERED;
                JsonNode act = d.path("action");
                e.put("action_id", text(act, "id"));
                e.put("action_libelle", text(act, "libelle"));
                e.put("axe", text(act, "axe"));
                e.put("organisme", organisation(act.path("organisme")));
                e.put("date_entree", text(d, "dateEntree"));
                if (d.hasNonNull("heuresHebdo")) {
                    e.put("heures_hebdo", Integer.toString(d.path("heuresHebdo").asInt()));
                }
            }
            case ACTION_SORTIE -> {
                type = DepartmentEvent.ACTION_LEFT;
                e.put("action_id", text(d.path("action"), "id"));
                e.put("date_sortie", text(d, "dateSortie"));
                e.put("motif_sortie", text(d, "motifSortie"));
            }
            default -> throw new IllegalStateException(name());
        }
        if (d.hasNonNull("utas")) {
            a.put("utas", text(d, "utas"));
        }
        return new Mapped(a, type, e, OffsetDateTime.parse(text(d, "decideLe")).toInstant());
    }

    static List<String> paths() {
        return java.util.Arrays.stream(values()).map(v -> v.path).toList();
    }

    /** The organisation as the vocabulary records it: its name (the SIRET stays in the journal's payload). */
    private static String organisation(JsonNode o) {
        return text(o, "nom");
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).asText();
    }
}
