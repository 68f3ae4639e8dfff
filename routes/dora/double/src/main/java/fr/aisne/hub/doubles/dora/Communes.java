package fr.aisne.hub.doubles.dora;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The communes the double knows (data·inclusion knows them all, from the official geographic code): those of the
 * fixtures, in the Aisne and in two other départements. Centres rounded to about 100 m.
 */
final class Communes {

    record Commune(String code, String nom, String codePostal, String departement, String region, double latitude,
            double longitude) {
    }

    static final List<Commune> ALL = List.of(
            new Commune("02691", "Saint-Quentin", "02100", "02", "32", 49.8470, 3.2870),
            new Commune("02408", "Laon", "02000", "02", "32", 49.5640, 3.6200),
            new Commune("02722", "Soissons", "02200", "02", "32", 49.3820, 3.3240),
            new Commune("02168", "Château-Thierry", "02400", "02", "32", 49.0460, 3.4030),
            new Commune("02381", "Hirson", "02500", "02", "32", 49.9220, 4.0840),
            new Commune("02810", "Villers-Cotterêts", "02600", "02", "32", 49.2530, 3.0900),
            new Commune("02173", "Chauny", "02300", "02", "32", 49.6160, 3.2190),
            new Commune("02738", "Tergnier", "02700", "02", "32", 49.6560, 3.3010),
            new Commune("02361", "Guise", "02120", "02", "32", 49.9000, 3.6280),
            new Commune("02095", "Bohain-en-Vermandois", "02110", "02", "32", 49.9860, 3.4530),
            new Commune("02789", "Vervins", "02140", "02", "32", 49.8350, 3.9080),
            new Commune("02305", "Fère-en-Tardenois", "02130", "02", "32", 49.2000, 3.5160),
            new Commune("02468", "Marle", "02250", "02", "32", 49.7400, 3.7720),
            new Commune("60159", "Compiègne", "60200", "60", "32", 49.4180, 2.8260),
            new Commune("60057", "Beauvais", "60000", "60", "32", 49.4300, 2.0950),
            new Commune("51454", "Reims", "51100", "51", "44", 49.2630, 4.0350));

    private static final Map<String, Commune> BY_CODE;

    static {
        Map<String, Commune> m = new LinkedHashMap<>();
        ALL.forEach(c -> m.put(c.code(), c));
        BY_CODE = Map.copyOf(m);
    }

    private Communes() {
    }

    static Commune byCode(String code) {
        return code == null ? null : BY_CODE.get(code);
    }

    /** Great-circle distance in kilometres (PostGIS measures on the spheroid: within 0.5 %). */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double r = 6371.0088;
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
