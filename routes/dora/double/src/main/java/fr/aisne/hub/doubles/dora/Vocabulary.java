package fr.aisne.hub.doubles.dora;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The data·inclusion schema v1 and API description embedded in the bundle (see {@code schema/SOURCE.md} beside
 * them), and the vocabularies read from them: the enumerations of the schema ({@code $defs}), the thematic
 * categories and the département and région codes and slugs of the API. Loaded once, read-only afterwards.
 */
final class Vocabulary {
    static final String SCHEMA_VERSION = "1.0.8";
    private static final String BASE = "/fr/aisne/hub/doubles/dora/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile Vocabulary instance;

    /** {@code GET /api/v1/doc/<name>}: the file of {@code schema/v1/extra/} it serves. */
    static final Map<String, String> DOCS = Map.of(
            "frais", "frais.json",
            "modes-accueil", "modes-accueil.json",
            "modes-mobilisation", "modes-mobilisation.json",
            "personnes-mobilisatrices", "personnes-mobilisatrices.json",
            "publics", "publics.json",
            "reseaux-porteurs", "reseaux-porteurs.json",
            "thematiques", "thematiques.json",
            "types-services", "types-de-services.json");

    final JsonNode structureSchema;
    final JsonNode serviceSchema;
    final byte[] openApi;
    final Set<String> thematiques;
    final Set<String> categories;
    final Set<String> publics;
    final Set<String> frais;
    final Set<String> modesAccueil;
    final Set<String> modesMobilisation;
    final Set<String> personnesMobilisatrices;
    final Set<String> types;
    final Set<String> reseauxPorteurs;
    /** Département codes, and code by slug ({@code aisne} -> {@code 02}). */
    final Set<String> departements;
    final Map<String, String> departementBySlug;
    final Set<String> regions;
    final Map<String, String> regionBySlug;
    /** The doc endpoints' answers, by name: the extra file's values sorted by value, as the API sorts them. */
    final Map<String, JsonNode> docs;

    private Vocabulary() {
        structureSchema = json("schema/v1/structure.json");
        serviceSchema = json("schema/v1/service.json");
        openApi = bytes("data-inclusion-api.openapi.json");
        JsonNode api;
        try {
            api = MAPPER.readTree(openApi);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode defs = serviceSchema.get("$defs");
        thematiques = values(defs.get("Thematique"));
        publics = values(defs.get("Public"));
        frais = values(defs.get("Frais"));
        modesAccueil = values(defs.get("ModeAccueil"));
        modesMobilisation = values(defs.get("ModeMobilisation"));
        personnesMobilisatrices = values(defs.get("PersonneMobilisatrice"));
        types = values(defs.get("TypeService"));
        reseauxPorteurs = values(structureSchema.get("$defs").get("ReseauPorteur"));
        JsonNode schemas = api.get("components").get("schemas");
        categories = values(schemas.get("Categorie"));
        departements = values(schemas.get("DepartementCodeEnum"));
        departementBySlug = zip(values(schemas.get("DepartementSlugEnum")), departements);
        regions = values(schemas.get("RegionCodeEnum"));
        regionBySlug = zip(values(schemas.get("RegionSlugEnum")), regions);
        Map<String, JsonNode> d = new LinkedHashMap<>();
        DOCS.forEach((name, file) -> {
            List<JsonNode> list = new ArrayList<>();
            json("schema/v1/extra/" + file).forEach(list::add);
            list.sort(Comparator.comparing(n -> n.path("value").asText()));
            ArrayNode sorted = MAPPER.createArrayNode();
            list.forEach(sorted::add);
            d.put(name, sorted);
        });
        docs = Map.copyOf(d);
    }

    static Vocabulary get() {
        Vocabulary v = instance;
        if (v == null) {
            synchronized (Vocabulary.class) {
                v = instance;
                if (v == null) {
                    v = new Vocabulary();
                    instance = v;
                }
            }
        }
        return v;
    }

    /** A thematique, or a category standing for all the thematiques {@code <category>--*}. */
    Set<String> expandThematique(String value) {
        if (!categories.contains(value)) {
            return Set.of(value);
        }
        Set<String> s = new LinkedHashSet<>();
        for (String t : thematiques) {
            if (t.startsWith(value + "--")) {
                s.add(t);
            }
        }
        return s;
    }

    static byte[] bytes(String resource) {
        try (InputStream in = Vocabulary.class.getResourceAsStream(BASE + resource)) {
            if (in == null) {
                throw new IllegalStateException("resource missing from the bundle: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String resource) {
        try {
            return MAPPER.readTree(bytes(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> values(JsonNode enumDef) {
        Set<String> s = new LinkedHashSet<>();
        enumDef.get("enum").forEach(v -> s.add(v.asText()));
        return java.util.Collections.unmodifiableSet(s);
    }

    /** The API lists codes and slugs in the same order (by name): pair them by position. */
    private static Map<String, String> zip(Set<String> slugs, Set<String> codes) {
        if (slugs.size() != codes.size()) {
            throw new IllegalStateException("slugs and codes differ in number");
        }
        Map<String, String> m = new LinkedHashMap<>();
        var c = codes.iterator();
        for (String slug : slugs) {
            m.put(slug, c.next());
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
