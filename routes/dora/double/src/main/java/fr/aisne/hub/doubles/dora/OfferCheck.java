package fr.aisne.hub.doubles.dora;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.doubles.dora.SchemaCheck.Kind;
import fr.aisne.hub.doubles.dora.SchemaCheck.Outcome;
import fr.aisne.hub.doubles.dora.SchemaCheck.Problem;

/**
 * Validates an offer (structures, then services) item by item, as data·inclusion loads a source: each item is
 * accepted or rejected on its own, never the whole offer. On top of {@link SchemaCheck}: ids unique within their
 * collection ({@value #ID_DUPLICATE}), and a service's structure present in the structures
 * ({@value #STRUCTURE_UNKNOWN}) and accepted ({@value #STRUCTURE_REJECTED}: data·inclusion would not load a service
 * without its structure).
 */
final class OfferCheck {
    static final String ID_DUPLICATE = "id-duplicate";
    static final String STRUCTURE_UNKNOWN = "structure_id-unknown";
    static final String STRUCTURE_REJECTED = "structure-rejected";

    /** An item to check, with its CSV line (null for a feed) and the problems found before (CSV reading). */
    record Entry(JsonNode item, Integer line, List<Problem> earlier) {
        Entry(JsonNode item, Integer line) {
            this(item, line, List.of());
        }

        String id() {
            JsonNode id = item == null ? null : item.get("id");
            return id != null && id.isTextual() ? id.asText() : null;
        }
    }

    private OfferCheck() {
    }

    static void validate(Report report, List<Entry> structures, List<Entry> services, SchemaCheck check,
            LocalDate today) {
        Set<String> present = new HashSet<>();
        Set<String> acceptedStructures = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (Entry e : structures) {
            report.received(Kind.STRUCTURE);
            String id = e.id();
            if (id != null) {
                present.add(id);
            }
            List<Problem> errors = new ArrayList<>(e.earlier());
            if (id != null && !seen.add(id)) {
                errors.add(new Problem("id", ID_DUPLICATE, "L’identifiant " + id + " est déjà utilisé par une autre structure."));
            }
            Outcome o = check.check(Kind.STRUCTURE, e.item(), today);
            errors.addAll(o.errors());
            o.warnings().forEach(w -> report.warn(Kind.STRUCTURE, id, e.line(), w));
            if (errors.isEmpty()) {
                report.accept(Kind.STRUCTURE, id);
                acceptedStructures.add(id);
            } else {
                report.reject(Kind.STRUCTURE, id, e.line(), errors);
            }
        }
        seen.clear();
        for (Entry e : services) {
            report.received(Kind.SERVICE);
            String id = e.id();
            List<Problem> errors = new ArrayList<>(e.earlier());
            if (id != null && !seen.add(id)) {
                errors.add(new Problem("id", ID_DUPLICATE, "L’identifiant " + id + " est déjà utilisé par un autre service."));
            }
            Outcome o = check.check(Kind.SERVICE, e.item(), today);
            errors.addAll(o.errors());
            JsonNode sid = e.item() == null ? null : e.item().get("structure_id");
            if (sid != null && sid.isTextual()) {
                if (!present.contains(sid.asText())) {
                    errors.add(new Problem("structure_id", STRUCTURE_UNKNOWN,
                            "La structure " + sid.asText() + " est absente des structures."));
                } else if (!acceptedStructures.contains(sid.asText())) {
                    errors.add(new Problem("structure_id", STRUCTURE_REJECTED,
                            "La structure " + sid.asText() + " a été rejetée."));
                }
            }
            o.warnings().forEach(w -> report.warn(Kind.SERVICE, id, e.line(), w));
            if (errors.isEmpty()) {
                report.accept(Kind.SERVICE, id);
            } else {
                report.reject(Kind.SERVICE, id, e.line(), errors);
            }
        }
    }
}
