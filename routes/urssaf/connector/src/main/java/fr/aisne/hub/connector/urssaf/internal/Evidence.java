package fr.aisne.hub.connector.urssaf.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.urssaf.internal.UrssafStore.MonthRow;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.StoredDay;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.StoredLine;

/**
 * The evidence of a closed month, in the two documented formats (docs/contracts/urssaf/): CSV
 * ({@code atmp-preuves-v1.csv-metadata.json}, CSV on the Web) and JSON ({@code atmp-preuves-v1.schema.json}). Both
 * are built from the stored days only, so the same month always gives the same bytes.
 */
public final class Evidence {
    public static final String CSV_HEADER = "mois_declare;mois_origine;type;convention;source;reference;personne;"
            + "siret_accueil;jour;heures;ctp;taux;motif";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Evidence() {
    }

    public static byte[] csv(MonthRow month, List<StoredDay> days) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append("\r\n");
        for (StoredDay d : days) {
            sb.append(month.month()).append(';').append(d.origin()).append(';')
                    .append(d.adjustment() ? "REGULARISATION" : "MOIS").append(';')
                    .append(field(d.day().conventionKey())).append(';').append(field(d.day().source())).append(';')
                    .append(field(d.day().reference())).append(';').append(field(d.day().personId())).append(';')
                    .append(field(d.day().hostSiret())).append(';').append(d.day().day()).append(';')
                    .append(d.day().hours().toPlainString()).append(';').append(d.day().ctp()).append(';')
                    .append(d.day().rate().stripTrailingZeros().toPlainString()).append(';')
                    .append(field(d.reason())).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] json(MonthRow month, String declarant, List<StoredLine> lines, List<StoredDay> days) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "aisne-hub-atmp-preuves/1");
        root.put("mois", month.month().toString());
        root.put("declarant", declarant);
        root.put("base", month.basis());
        root.put("clotureLe", month.closedAt().toString());
        ArrayNode ls = root.putArray("lignes");
        for (StoredLine l : lines) {
            ObjectNode o = ls.addObject();
            o.put("type", l.kind());
            o.put("moisOrigine", l.origin().toString());
            if (l.conventionKey() != null) {
                o.put("convention", l.conventionKey());
            }
            o.put("ctp", l.ctp());
            o.put("taux", l.rate().stripTrailingZeros());
            o.put("heures", l.hours());
            o.put("montant", l.amount());
        }
        Map<String, ObjectNode> conventions = new LinkedHashMap<>();
        ArrayNode cs = root.putArray("conventions");
        for (StoredDay d : days) {
            String k = d.origin() + "|" + d.day().conventionKey();
            ObjectNode c = conventions.computeIfAbsent(k, x -> {
                ObjectNode n = cs.addObject();
                n.put("type", d.adjustment() ? "REGULARISATION" : "MOIS");
                n.put("moisOrigine", d.origin().toString());
                n.put("convention", d.day().conventionKey());
                n.put("source", d.day().source());
                n.put("reference", d.day().reference());
                n.put("personne", d.day().personId());
                n.put("siretAccueil", d.day().hostSiret());
                n.put("version", d.day().version());
                if (d.reason() != null) {
                    n.put("motif", d.reason());
                }
                n.putArray("jours");
                return n;
            });
            ObjectNode j = ((ArrayNode) c.get("jours")).addObject();
            j.put("jour", d.day().day().toString());
            j.put("heures", d.day().hours());
            j.put("ctp", d.day().ctp());
            j.put("taux", d.day().rate().stripTrailingZeros());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSV field: no separator, quote or line break can break the line (they are replaced). */
    static String field(String v) {
        if (v == null) {
            return "";
        }
        return v.replace(';', ',').replace('"', '\'').replace('\r', ' ').replace('\n', ' ');
    }
}
