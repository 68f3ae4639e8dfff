package fr.aisne.hub.connector.dora;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * The department's offer ({@code offre.schema.json}: its structures and its funded actions, in its own words) as
 * data·inclusion schema v1 structures and services. Ids are {@code <source>--<identifiant>} ({@code offer.source});
 * an action says what it is in the department's terms (its axis of the call for projects, "gratuit", its
 * "porteur"), and what it leaves out is filled in:
 * <ul>
 * <li>{@code type}, {@code thematiques}, {@code publics} and {@code publics_precisions} from its {@link Axe};</li>
 * <li>{@code frais}: gratuit unless {@code "gratuit": false};</li>
 * <li>{@code modes_accueil}: en-presentiel; and, on site without a {@code lieu}, the address of its structure;</li>
 * <li>{@code zone_eligibilite}: the connector's default zone ({@code offer.zoneEligibilite}, the département);</li>
 * <li>{@code mobilisable_par}: professionnels (the RSA referent orients), with a precision saying so, and
 * {@code modes_mobilisation} from its contact (e-mail, phone) and mobilisation link;</li>
 * <li>{@code date_maj}: the date given, or the day the content last changed (kept by {@link OfferStore}).</li>
 * </ul>
 * Pure: the same offer and date give the same items. The input must have passed the offer's JSON Schema.
 */
final class OfferMapping {
    /** The place fields of a structure and of an action's {@code lieu}. */
    static final List<String> PLACE = List.of("adresse", "complement_adresse", "code_postal", "code_insee", "commune",
            "latitude", "longitude");
    static final String ORIENTATION = "Sur orientation du référent RSA (prescription du Département).";

    /** One mapped item: where it comes from in the offer ({@code actions[3]}) and whether its date was given. */
    record Item(String origin, ObjectNode v1, boolean dateGiven) {
        String id() {
            return v1.path("id").asText();
        }
    }

    record Mapped(List<Item> structures, List<Item> services) {
    }

    /** v1 field -> the department's field, for naming a broken rule where the department wrote the value. */
    private static final Map<String, String> STRUCTURE_FIELDS = Map.of("id", "identifiant", "lien_source", "lien");
    private static final Map<String, String> SERVICE_FIELDS = new HashMap<>();

    static {
        SERVICE_FIELDS.putAll(Map.of("id", "identifiant", "structure_id", "porteur", "nom", "intitule", "frais",
                "gratuit", "modes_accueil", "modalites", "nombre_semaines", "duree_semaines",
                "volume_horaire_hebdomadaire", "heures_hebdomadaires", "lien_source", "lien"));
        SERVICE_FIELDS.putAll(Map.of("modes_mobilisation", "mobilisation.modes", "mobilisable_par", "mobilisation.par",
                "mobilisation_precisions", "mobilisation.precisions", "lien_mobilisation", "mobilisation.lien",
                "contact_nom_prenom", "contact.nom_prenom", "telephone", "contact.telephone", "courriel",
                "contact.courriel"));
        PLACE.forEach(f -> SERVICE_FIELDS.put(f, "lieu." + f));
    }

    private final String source;
    private final List<String> defaultZone;

    OfferMapping(String source, List<String> defaultZone) {
        this.source = source;
        this.defaultZone = List.copyOf(defaultZone);
    }

    String source() {
        return source;
    }

    String id(String identifiant) {
        return source + "--" + identifiant;
    }

    /** The department's name of a v1 field ({@code nom} of a service is {@code intitule}). */
    static String departmentField(Kind kind, String v1Field) {
        Map<String, String> m = kind == Kind.STRUCTURE ? STRUCTURE_FIELDS : SERVICE_FIELDS;
        return m.getOrDefault(v1Field, v1Field);
    }

    Mapped map(JsonNode offre, LocalDate today) {
        Map<String, JsonNode> structuresById = new HashMap<>();
        List<Item> structures = new ArrayList<>();
        JsonNode list = offre.path("structures");
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            structuresById.putIfAbsent(s.path("identifiant").asText(), s);
            structures.add(structure("structures[" + i + "]", s, today));
        }
        List<Item> services = new ArrayList<>();
        JsonNode actions = offre.path("actions");
        for (int i = 0; i < actions.size(); i++) {
            JsonNode a = actions.get(i);
            services.add(service("actions[" + i + "]", a, structuresById.get(a.path("porteur").asText()), today));
        }
        return new Mapped(structures, services);
    }

    private Item structure(String origin, JsonNode s, LocalDate today) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("source", source);
        o.put("id", id(s.get("identifiant").asText()));
        same(s, o, "nom", "siret", "description");
        same(s, o, PLACE.toArray(String[]::new));
        same(s, o, "telephone", "courriel", "site_web", "horaires_accueil", "accessibilite_lieu", "reseaux_porteurs");
        copy(s, "lien", o, "lien_source");
        return dated(origin, s, o, today);
    }

    private Item service(String origin, JsonNode a, JsonNode porteur, LocalDate today) {
        Axe axe = Axe.of(a.path("axe").asText());
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("source", source);
        o.put("id", id(a.get("identifiant").asText()));
        o.put("structure_id", id(a.get("porteur").asText()));
        copy(a, "intitule", o, "nom");
        same(a, o, "description");
        if (a.hasNonNull("type")) {
            copy(a, "type", o, "type");
        } else if (axe.type != null) {
            o.put("type", axe.type);
        }
        if (a.hasNonNull("thematiques")) {
            copy(a, "thematiques", o, "thematiques");
        } else if (!axe.thematiques.isEmpty()) {
            strings(o.putArray("thematiques"), axe.thematiques);
        }
        if (a.hasNonNull("publics")) {
            copy(a, "publics", o, "publics");
            copy(a, "publics_precisions", o, "publics_precisions");
        } else if (!axe.publics.isEmpty()) {
            strings(o.putArray("publics"), axe.publics);
            if (a.hasNonNull("publics_precisions")) {
                copy(a, "publics_precisions", o, "publics_precisions");
            } else {
                o.put("publics_precisions", axe.publicsPrecisions);
            }
        }
        o.put("frais", a.path("gratuit").asBoolean(true) ? "gratuit" : "payant");
        same(a, o, "frais_precisions", "conditions_acces");
        ArrayNode accueil = a.hasNonNull("modalites") ? ((ArrayNode) a.get("modalites")).deepCopy()
                : Json.MAPPER.createArrayNode().add("en-presentiel");
        o.set("modes_accueil", accueil);
        JsonNode lieu = a.get("lieu");
        if (lieu != null && lieu.isObject()) {
            same(lieu, o, PLACE.toArray(String[]::new));
        } else if (porteur != null && contains(accueil, "en-presentiel")) {
            same(porteur, o, PLACE.toArray(String[]::new));
        }
        if (a.hasNonNull("zone_eligibilite")) {
            copy(a, "zone_eligibilite", o, "zone_eligibilite");
        } else {
            strings(o.putArray("zone_eligibilite"), defaultZone);
        }
        mobilisation(a, o);
        JsonNode contact = a.path("contact");
        copy(contact, "nom_prenom", o, "contact_nom_prenom");
        copy(contact, "telephone", o, "telephone");
        copy(contact, "courriel", o, "courriel");
        same(a, o, "horaires_accueil");
        copy(a, "duree_semaines", o, "nombre_semaines");
        copy(a, "heures_hebdomadaires", o, "volume_horaire_hebdomadaire");
        copy(a, "lien", o, "lien_source");
        return dated(origin, a, o, today);
    }

    /** The date the department gave, or today (the store keeps an unchanged item's earlier date). */
    private static Item dated(String origin, JsonNode from, ObjectNode o, LocalDate today) {
        boolean given = from.hasNonNull("date_maj");
        o.put("date_maj", given ? from.get("date_maj").asText() : today.toString());
        return new Item(origin, o, given);
    }

    /** Who mobilises the action and how: professionals by default; the ways follow the contact given. */
    private static void mobilisation(JsonNode a, ObjectNode o) {
        JsonNode m = a.path("mobilisation");
        if (m.hasNonNull("par")) {
            copy(m, "par", o, "mobilisable_par");
            copy(m, "precisions", o, "mobilisation_precisions");
        } else {
            o.putArray("mobilisable_par").add("professionnels");
            o.put("mobilisation_precisions", m.hasNonNull("precisions") ? m.get("precisions").asText() : ORIENTATION);
        }
        copy(m, "lien", o, "lien_mobilisation");
        if (m.hasNonNull("modes")) {
            copy(m, "modes", o, "modes_mobilisation");
            return;
        }
        List<String> modes = new ArrayList<>();
        if (a.path("contact").hasNonNull("courriel")) {
            modes.add("envoyer-un-courriel");
        }
        if (a.path("contact").hasNonNull("telephone")) {
            modes.add("telephoner");
        }
        if (m.hasNonNull("lien")) {
            modes.add("utiliser-lien-mobilisation");
        }
        if (!modes.isEmpty()) {
            strings(o.putArray("modes_mobilisation"), modes);
        }
    }

    /** Fields that have the same name on both sides. */
    private static void same(JsonNode from, ObjectNode to, String... fields) {
        for (String f : fields) {
            copy(from, f, to, f);
        }
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from == null ? null : from.get(field);
        if (v != null && !v.isNull() && !v.isMissingNode()) {
            to.set(as, v.deepCopy());
        }
    }

    private static void strings(ArrayNode into, List<String> values) {
        values.forEach(into::add);
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode v : list) {
            if (value.equals(v.asText())) {
                return true;
            }
        }
        return false;
    }
}
