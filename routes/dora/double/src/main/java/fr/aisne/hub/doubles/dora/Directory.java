package fr.aisne.hub.doubles.dora;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.doubles.dora.Communes.Commune;
import fr.aisne.hub.doubles.dora.Fixtures.Item;

/**
 * The queries of the data·inclusion API over the fixtures, as its services module writes them in SQL: filters,
 * ordering by id, the search's distances, and the shapes of the answers (the producer's fields plus
 * {@code score_qualite}, {@code adresse_certifiee}, {@code doublons}). Items that do not have the field a filter
 * reads (the v0-shaped ones) simply do not match it. Read-only, thread-safe.
 */
final class Directory {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The search keeps on-site services within this distance of the commune or point (data·inclusion: 50 km). */
    static final double SEARCH_RADIUS_KM = 50;
    /** What {@code zone_eligibilite} may name for the whole country: INSEE country code and slug. */
    private static final Set<String> FRANCE = Set.of("99100", "france");

    final Fixtures fixtures;
    private final Map<String, Item> structureById = new HashMap<>();
    private final Map<String, Item> serviceById = new HashMap<>();
    private final Map<String, List<Item>> servicesByStructure = new HashMap<>();

    Directory(Fixtures fixtures) {
        this.fixtures = fixtures;
        fixtures.structures.forEach(s -> structureById.put(s.id(), s));
        fixtures.services.forEach(s -> {
            serviceById.put(s.id(), s);
            servicesByStructure.computeIfAbsent(s.structureId(), k -> new ArrayList<>()).add(s);
        });
    }

    /** Filters of {@code GET /api/v1/structures}; null means "not given". */
    record StructureFilter(List<String> sources, List<String> reseauxPorteurs, String region, String departement,
            String codeCommune, boolean exclureDoublons) {
    }

    /** Filters of {@code GET /api/v1/services} and {@code GET /api/v1/search/services}; null means "not given". */
    record ServiceFilter(List<String> sources, Set<String> thematiques, String region, String departement,
            String codeCommune, List<String> frais, List<String> publics, String recherchePublic,
            List<String> modesAccueil, List<String> types, Double scoreQualiteMinimum) {
    }

    /** One search result: the service and its distance in km (null when not computed). */
    record Hit(Item service, Integer distance) {
    }

    // ---------------------------------------------------------------------------------------------- structures

    List<Item> structures(StructureFilter f, boolean includeBad) {
        List<Item> out = new ArrayList<>();
        for (Item s : fixtures.structures) {
            if (s.bad() != null && !includeBad) {
                continue;
            }
            JsonNode j = s.json();
            if (f.sources() != null && !f.sources().contains(j.path("source").asText())) {
                continue;
            }
            if (f.codeCommune() != null && !f.codeCommune().equals(s.codeInsee())) {
                continue;
            }
            if (f.departement() != null && (s.codeInsee() == null || !s.codeInsee().startsWith(f.departement()))) {
                continue;
            }
            if (f.region() != null && !inRegion(s, f.region())) {
                continue;
            }
            if (f.reseauxPorteurs() != null && !anyOf(j.get("reseaux_porteurs"), f.reseauxPorteurs())) {
                continue;
            }
            out.add(s);
        }
        if (f.exclureDoublons()) {
            // One structure per duplicate cluster: the best score, then the most recent update, then the id
            Map<String, Item> best = new LinkedHashMap<>();
            Comparator<Item> rank = Comparator.comparingDouble(Item::scoreQualite).reversed()
                    .thenComparing(Directory::dateMaj, Comparator.reverseOrder()).thenComparing(Item::id);
            for (Item s : out) {
                best.merge(clusterKey(s), s, (a, b) -> rank.compare(a, b) <= 0 ? a : b);
            }
            out = new ArrayList<>(best.values());
            out.sort(Comparator.comparing(Item::id));
        }
        return out;
    }

    Item structure(String id) {
        return structureById.get(id);
    }

    /** {@code ListedStructure}: the producer's fields, score, certified address, duplicates as (source, id). */
    ObjectNode listedStructure(Item s) {
        ObjectNode o = s.json().deepCopy();
        o.put("adresse_certifiee", s.adresseCertifiee());
        o.put("score_qualite", s.scoreQualite());
        ArrayNode d = o.putArray("doublons");
        for (Item other : doublons(s)) {
            d.addObject().put("source", other.json().path("source").asText()).put("id", other.id());
        }
        return o;
    }

    /** {@code DetailedStructure}: duplicates in full and the structure's services. */
    ObjectNode detailedStructure(Item s, boolean includeBad) {
        ObjectNode o = s.json().deepCopy();
        o.put("adresse_certifiee", s.adresseCertifiee());
        o.put("score_qualite", s.scoreQualite());
        ArrayNode d = o.putArray("doublons");
        doublons(s).forEach(other -> d.add(other.json().deepCopy()));
        ArrayNode services = o.putArray("services");
        for (Item sv : servicesByStructure.getOrDefault(s.id(), List.of())) {
            if (sv.bad() == null || includeBad) {
                services.add(service(sv));
            }
        }
        return o;
    }

    private List<Item> doublons(Item s) {
        if (s.cluster() == null) {
            return List.of();
        }
        return fixtures.structures.stream().filter(o -> s.cluster().equals(o.cluster()) && !o.id().equals(s.id()))
                .toList();
    }

    // ---------------------------------------------------------------------------------------------- services

    List<Item> services(ServiceFilter f, boolean includeBad) {
        List<Item> out = new ArrayList<>();
        for (Item s : fixtures.services) {
            if ((s.bad() != null && !includeBad) || !matches(s, f)) {
                continue;
            }
            if (f.codeCommune() != null && !f.codeCommune().equals(s.codeInsee())) {
                continue;
            }
            if (f.departement() != null && (s.codeInsee() == null || !s.codeInsee().startsWith(f.departement()))) {
                continue;
            }
            if (f.region() != null && !inRegion(s, f.region())) {
                continue;
            }
            out.add(s);
        }
        return out;
    }

    Item service(String id) {
        return serviceById.get(id);
    }

    /**
     * The search: without a commune, every matching service, distance null, by id. With a commune: services whose
     * {@code zone_eligibilite} is empty or names the commune, its département or France, and that are either within
     * {@value #SEARCH_RADIUS_KM} km of {@code point} (the commune's centre unless lat/lon are given) or offered
     * remotely; the distance is given for on-site services within range; ordered by distance (nulls last), then id.
     */
    List<Hit> search(ServiceFilter f, Commune commune, double[] point, boolean exclureDoublons, boolean includeBad) {
        List<Hit> hits = new ArrayList<>();
        for (Item s : fixtures.services) {
            if ((s.bad() != null && !includeBad) || !matches(s, f) || structureById.get(s.structureId()) == null) {
                continue;
            }
            Integer distance = null;
            if (commune != null) {
                JsonNode zone = s.json().get("zone_eligibilite");
                if (zone != null && zone.isArray() && !anyOf(zone, List.of(commune.code(), commune.departement()))
                        && !anyOf(zone, List.copyOf(FRANCE))) {
                    continue;
                }
                JsonNode lat = s.json().get("latitude");
                JsonNode lon = s.json().get("longitude");
                Double km = lat != null && lat.isNumber() && lon != null && lon.isNumber()
                        ? Communes.distanceKm(point[0], point[1], lat.asDouble(), lon.asDouble()) : null;
                boolean inRange = km != null && km <= SEARCH_RADIUS_KM;
                boolean onSite = contains(s.json().get("modes_accueil"), "en-presentiel");
                boolean remote = contains(s.json().get("modes_accueil"), "a-distance");
                if (!inRange && !remote) {
                    continue;
                }
                distance = onSite && inRange ? (int) Math.round(km) : null;
            }
            hits.add(new Hit(s, distance));
        }
        if (exclureDoublons) {
            hits = keepBestOfClusters(hits);
        }
        hits.sort(Comparator.comparing((Hit h) -> h.distance() == null ? Integer.MAX_VALUE : h.distance())
                .thenComparing(h -> h.service().id()));
        return hits;
    }

    /** Among the matching services, those of the best-ranked structure of each duplicate cluster (ties kept). */
    private List<Hit> keepBestOfClusters(List<Hit> hits) {
        Map<String, Item> best = new HashMap<>();
        Comparator<Item> rank = Comparator.comparingDouble(Item::scoreQualite).reversed()
                .thenComparing(Directory::dateMaj, Comparator.reverseOrder());
        for (Hit h : hits) {
            Item st = structureById.get(h.service().structureId());
            best.merge(clusterKey(st), st, (a, b) -> rank.compare(a, b) <= 0 ? a : b);
        }
        List<Hit> kept = new ArrayList<>();
        for (Hit h : hits) {
            Item st = structureById.get(h.service().structureId());
            if (rank.compare(st, best.get(clusterKey(st))) == 0) {
                kept.add(h);
            }
        }
        return kept;
    }

    /** {@code Service}: the producer's fields, score and certified address. */
    ObjectNode service(Item s) {
        ObjectNode o = s.json().deepCopy();
        o.put("adresse_certifiee", s.adresseCertifiee());
        o.put("score_qualite", s.scoreQualite());
        return o;
    }

    /** {@code DetailedService}: with its structure ({@code BaseStructure}: fields and certified address). */
    ObjectNode detailedService(Item s) {
        ObjectNode o = service(s);
        Item st = structureById.get(s.structureId());
        if (st != null) {
            ObjectNode base = st.json().deepCopy();
            base.put("adresse_certifiee", st.adresseCertifiee());
            o.set("structure", base);
        } else {
            o.putNull("structure");
        }
        return o;
    }

    /** The sources of the fixtures, as {@code GET /api/v1/sources} lists them. */
    List<Map<String, Object>> sources() {
        Map<String, String[]> known = new LinkedHashMap<>();
        known.put("dora", new String[] {"DORA", "Service public numérique de recensement de l’offre d’insertion "
                + "développé par la Plateforme de l’inclusion. Contient leurs structures et services inclusifs sur de "
                + "nombreuses thématiques."});
        known.put("emplois-de-linclusion", new String[] {"Emplois de l’inclusion", "Service public numérique de mise "
                + "en relation entre employeurs solidaires et accompagnateurs. Contient les structures employeuses et "
                + "accompagnatrices dans le domaine de l’insertion par l’activité économique (IAE)."});
        known.put("france-travail", new String[] {"Offre nationale de services de France Travail",
            "Contient l’offre de service nationale de France Travail."});
        known.put("mediation-numerique", new String[] {"Cartographie Nationale des lieux de médiation numérique",
            "Contient les lieux d’inclusion numériques recensés par l’ANCT et les hubs régionaux."});
        known.put("mission-locale", new String[] {"Mission Locale", "La Mission Locale accompagne les jeunes de 16 à "
                + "25 ans dans leurs démarches d’insertion sociale et professionnelle en développant une approche "
                + "globale et de proximité."});
        Set<String> present = new HashSet<>();
        fixtures.structures.forEach(s -> present.add(s.json().path("source").asText()));
        List<Map<String, Object>> out = new ArrayList<>();
        known.forEach((slug, v) -> {
            if (present.contains(slug)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("slug", slug);
                m.put("nom", v[0]);
                m.put("description", v[1]);
                out.add(m);
            }
        });
        return out;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The filters shared by the list and the search (data·inclusion's {@code filter_services}). */
    private static boolean matches(Item s, ServiceFilter f) {
        JsonNode j = s.json();
        if (f.sources() != null && !f.sources().contains(j.path("source").asText())) {
            return false;
        }
        if (f.thematiques() != null && !anyOf(j.get("thematiques"), List.copyOf(f.thematiques()))) {
            return false;
        }
        if (f.frais() != null && !oneOf(j.get("frais"), f.frais())) {
            return false;
        }
        if (f.publics() != null && !f.publics().contains("tous-publics")) {
            // a service for everyone matches any public asked for
            List<String> wanted = new ArrayList<>(f.publics());
            wanted.add("tous-publics");
            if (!anyOf(j.get("publics"), wanted)) {
                return false;
            }
        }
        if (f.modesAccueil() != null && !anyOf(j.get("modes_accueil"), f.modesAccueil())) {
            return false;
        }
        if (f.types() != null && !oneOf(j.get("type"), f.types())) {
            return false;
        }
        if (f.scoreQualiteMinimum() != null && s.scoreQualite() < f.scoreQualiteMinimum()) {
            return false;
        }
        if (f.recherchePublic() != null && !publicsText(j).contains(f.recherchePublic().toLowerCase())) {
            return false;
        }
        return true;
    }

    /** What {@code recherche_public} searches (data·inclusion: French full-text; here: case-insensitive substring). */
    private static String publicsText(JsonNode j) {
        StringBuilder sb = new StringBuilder();
        JsonNode p = j.get("publics");
        if (p != null && p.isArray()) {
            p.forEach(v -> sb.append(v.asText().replace('-', ' ')).append(' '));
        }
        if (j.path("publics_precisions").isTextual()) {
            sb.append(j.get("publics_precisions").asText());
        }
        return sb.toString().toLowerCase();
    }

    /** True when {@code node} (a text or an array of texts) holds one of {@code wanted}. */
    private static boolean anyOf(JsonNode node, List<String> wanted) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isTextual()) {
            return wanted.contains(node.asText());
        }
        if (node.isArray()) {
            for (JsonNode v : node) {
                if (v.isTextual() && wanted.contains(v.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when {@code node} is a text among {@code wanted} (a single-valued field: a list does not match). */
    private static boolean oneOf(JsonNode node, List<String> wanted) {
        return node != null && node.isTextual() && wanted.contains(node.asText());
    }

    private static boolean contains(JsonNode array, String value) {
        return anyOf(array, List.of(value));
    }

    private static boolean inRegion(Item s, String region) {
        Commune c = Communes.byCode(s.codeInsee());
        return c != null && c.region().equals(region);
    }

    private static String clusterKey(Item s) {
        return s.cluster() != null ? s.cluster() : s.id();
    }

    private static String dateMaj(Item s) {
        return s.json().path("date_maj").asText("");
    }
}
