package fr.aisne.hub.doubles.ouiform;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One model behind both bindings: each message type of the contract as an ordered list of fields, so that a JSON
 * message (REST) is turned into the XML element of the same type (SOAP) and the other way round, field for field.
 * The XML is then checked by the contract's schema: REST and SOAP are held to exactly the same rules.
 * <p>
 * JSON to XML is strict: an unknown field (a {@code nir}, say) or a value of the wrong JSON type is refused, every
 * problem named; fields come out in the schema's order whatever the JSON order.
 */
final class Shapes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    enum Kind {
        TEXT, INTEGER, BOOLEAN, OBJECT, OBJECT_LIST, TEXT_LIST, CHOICE
    }

    /**
     * A field: its XML element name and JSON name, its kind, its nested shape (objects), the XML name of the items of
     * a list ({@code historique/statutHistorique}; a TEXT_LIST repeats the element itself, {@code champ}).
     */
    record Field(String xml, String json, Kind kind, Shape shape, String itemXml) {
    }

    /** A message type: its fields in schema order. */
    record Shape(String name, List<Field> fields) {
        Field byJson(String json) {
            for (Field f : fields) {
                if (f.json().equals(json)) {
                    return f;
                }
            }
            return null;
        }
    }

    private static Field text(String name) {
        return new Field(name, name, Kind.TEXT, null, null);
    }

    private static Field integer(String name) {
        return new Field(name, name, Kind.INTEGER, null, null);
    }

    private static Field object(String name, Shape shape) {
        return new Field(name, name, Kind.OBJECT, shape, null);
    }

    static final Shape COMMUNE = new Shape("Commune", List.of(text("codeInsee"), text("codePostal"), text("libelle")));
    static final Shape BENEFICIAIRE = new Shape("Beneficiaire", List.of(text("nom"), text("prenom"),
            text("dateNaissance"), object("commune", COMMUNE), text("numeroFranceTravail")));
    static final Shape REFERENT = new Shape("Referent", List.of(text("nom"), text("prenom"), text("courriel"),
            text("telephone")));
    static final Shape PRESCRIPTEUR = new Shape("Prescripteur", List.of(text("siret"), text("libelle"),
            object("referent", REFERENT)));
    /** Element soumettrePrescription; JSON body of POST /v1/prescriptions. */
    static final Shape PRESCRIPTION = new Shape("Prescription", List.of(text("idPrescriptionHub"),
            text("datePrescription"), text("idSession"), text("idAction"), object("beneficiaire", BENEFICIAIRE),
            object("prescripteur", PRESCRIPTEUR)));
    private static final List<Field> ETAT_FIELDS = List.of(text("idPrescriptionOuiForm"), text("idPrescriptionHub"),
            text("idSession"), text("statut"), text("dateEffet"), text("motif"), text("horodatage"), integer("sequence"));
    /** Element soumettrePrescriptionReponse; JSON answer 201 of POST /v1/prescriptions. */
    static final Shape ETAT = new Shape("EtatPrescription", ETAT_FIELDS);
    static final Shape STATUT_HISTORIQUE = new Shape("StatutHistorique", List.of(text("statut"), text("dateEffet"),
            text("motif"), text("horodatage"), integer("sequence")));
    /** Element consulterPrescriptionReponse; JSON answer of GET /v1/prescriptions/{id}. */
    static final Shape CONSULTATION;
    static {
        List<Field> fields = new ArrayList<>(ETAT_FIELDS);
        fields.add(new Field("historique", "historique", Kind.OBJECT_LIST, STATUT_HISTORIQUE, "statutHistorique"));
        CONSULTATION = new Shape("ConsultationPrescription", List.copyOf(fields));
    }
    /** Element consulterPrescription (a choice of one of the two ids). */
    static final Shape CONSULTER = new Shape("consulterPrescription", List.of(
            new Field("idPrescriptionOuiForm", "idPrescriptionOuiForm", Kind.CHOICE, null, null),
            new Field("idPrescriptionHub", "idPrescriptionHub", Kind.CHOICE, null, null)));
    /** Element notifierStatut; JSON body of POST /v1/prescriptions/{idPrescriptionHub}/statuts. */
    static final Shape EVENEMENT = new Shape("EvenementStatut", List.of(text("idEvenement"),
            text("idPrescriptionOuiForm"), text("idPrescriptionHub"), integer("sequence"), text("statut"),
            text("dateEffet"), text("motif"), text("horodatage")));
    static final Shape NOTIFIER_REPONSE = new Shape("notifierStatutReponse", List.of(text("idEvenement"), text("etat")));
    static final Shape PUBLIER_REPONSE = new Shape("publierSessionsReponse", List.of(text("idPublication"),
            integer("nombreFormations"), integer("nombreActions"), integer("nombreSessions")));
    /** Element erreur (SOAP fault detail); JSON body of every REST error. */
    static final Shape ERREUR = new Shape("Erreur", List.of(text("code"), text("message"), text("idPrescriptionOuiForm"),
            new Field("champ", "champs", Kind.TEXT_LIST, null, "champ")));

    private Shapes() {
    }

    // ---------------------------------------------------------------------------------------------- JSON -> XML

    /**
     * The XML element {@code of:<element>} holding {@code json}, in the shape's order; a JSON problem (unknown field,
     * wrong type) is a REQUETE_INVALIDE naming every field concerned. The result still has to pass the schema.
     */
    static Element toXml(Document doc, String element, Shape shape, JsonNode json) {
        List<String> problems = new ArrayList<>();
        if (json == null || !json.isObject()) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "Un objet JSON est attendu");
        }
        Element root = doc.createElementNS(Contract.NS, "of:" + element);
        fill(doc, root, shape, json, "", problems);
        if (!problems.isEmpty()) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "Message non conforme au contrat OuiForm v1 : "
                    + String.join(" ; ", problems), null, List.of());
        }
        return root;
    }

    private static void fill(Document doc, Element parent, Shape shape, JsonNode json, String prefix,
            List<String> problems) {
        for (Iterator<String> it = json.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (shape.byJson(name) == null) {
                problems.add(prefix + name + " : champ inconnu du contrat"
                        + (name.equalsIgnoreCase("nir") ? " (aucun NIR n'est transmis à la Région)" : ""));
            }
        }
        for (Field f : shape.fields()) {
            JsonNode v = json.get(f.json());
            if (v == null || v.isNull()) {
                continue;
            }
            String path = prefix + f.json();
            switch (f.kind()) {
                case TEXT, CHOICE -> {
                    if (!v.isTextual()) {
                        problems.add(path + " : chaîne attendue");
                    } else {
                        parent.appendChild(leaf(doc, f.xml(), v.textValue()));
                    }
                }
                case INTEGER -> {
                    if (!v.isIntegralNumber()) {
                        problems.add(path + " : entier attendu");
                    } else {
                        parent.appendChild(leaf(doc, f.xml(), v.bigIntegerValue().toString()));
                    }
                }
                case BOOLEAN -> {
                    if (!v.isBoolean()) {
                        problems.add(path + " : booléen attendu");
                    } else {
                        parent.appendChild(leaf(doc, f.xml(), String.valueOf(v.booleanValue())));
                    }
                }
                case OBJECT -> {
                    if (!v.isObject()) {
                        problems.add(path + " : objet attendu");
                    } else {
                        Element child = doc.createElementNS(Contract.NS, "of:" + f.xml());
                        fill(doc, child, f.shape(), v, path + ".", problems);
                        parent.appendChild(child);
                    }
                }
                case OBJECT_LIST -> {
                    if (!v.isArray()) {
                        problems.add(path + " : tableau attendu");
                    } else {
                        Element wrapper = doc.createElementNS(Contract.NS, "of:" + f.xml());
                        for (int i = 0; i < v.size(); i++) {
                            if (!v.get(i).isObject()) {
                                problems.add(path + "[" + i + "] : objet attendu");
                                continue;
                            }
                            Element item = doc.createElementNS(Contract.NS, "of:" + f.itemXml());
                            fill(doc, item, f.shape(), v.get(i), path + "[" + i + "].", problems);
                            wrapper.appendChild(item);
                        }
                        parent.appendChild(wrapper);
                    }
                }
                case TEXT_LIST -> {
                    if (!v.isArray()) {
                        problems.add(path + " : tableau attendu");
                    } else {
                        for (int i = 0; i < v.size(); i++) {
                            if (!v.get(i).isTextual()) {
                                problems.add(path + "[" + i + "] : chaîne attendue");
                            } else {
                                parent.appendChild(leaf(doc, f.itemXml(), v.get(i).textValue()));
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException(f.kind().name());
            }
        }
    }

    static Element leaf(Document doc, String name, String value) {
        Element e = doc.createElementNS(Contract.NS, "of:" + name);
        e.setTextContent(value);
        return e;
    }

    // ---------------------------------------------------------------------------------------------- XML -> JSON

    /** The JSON form of a (valid) element of the contract. */
    static ObjectNode toJson(Element element, Shape shape) {
        ObjectNode out = NODES.objectNode();
        for (Field f : shape.fields()) {
            List<Element> found = children(element, f.kind() == Kind.TEXT_LIST ? f.itemXml() : f.xml());
            if (found.isEmpty()) {
                continue;
            }
            Element first = found.get(0);
            switch (f.kind()) {
                case TEXT, CHOICE -> out.put(f.json(), first.getTextContent());
                case INTEGER -> {
                    java.math.BigInteger v = new java.math.BigInteger(first.getTextContent().trim());
                    if (v.bitLength() < 32) {
                        out.put(f.json(), v.intValue());
                    } else if (v.bitLength() < 64) {
                        out.put(f.json(), v.longValue());
                    } else {
                        out.put(f.json(), v);
                    }
                }
                case BOOLEAN -> out.put(f.json(), Boolean.parseBoolean(first.getTextContent().trim()));
                case OBJECT -> out.set(f.json(), toJson(first, f.shape()));
                case OBJECT_LIST -> {
                    ArrayNode items = out.putArray(f.json());
                    for (Element item : children(first, f.itemXml())) {
                        items.add(toJson(item, f.shape()));
                    }
                }
                case TEXT_LIST -> {
                    ArrayNode items = out.putArray(f.json());
                    found.forEach(e -> items.add(e.getTextContent()));
                }
                default -> throw new IllegalStateException(f.kind().name());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- DOM reading

    /** The child elements of {@code parent} in the contract's namespace named {@code localName}. */
    static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName()) && Contract.NS.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The text at {@code path} (slash-separated local names) under {@code root}, or null. */
    static String text(Element root, String path) {
        Element e = root;
        for (String step : path.split("/")) {
            List<Element> c = children(e, step);
            if (c.isEmpty()) {
                return null;
            }
            e = c.get(0);
        }
        String t = e.getTextContent();
        return t == null || t.isBlank() ? null : t.trim();
    }
}
