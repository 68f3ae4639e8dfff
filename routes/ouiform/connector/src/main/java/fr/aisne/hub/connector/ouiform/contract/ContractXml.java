package fr.aisne.hub.connector.ouiform.contract;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The XML form of the contract's messages ({@link Messages}): each record component is a child element of the same
 * name in namespace {@code urn:fr:aisne:hub:ouiform:v1}, in the record's order (the XSD's sequence order); null is an
 * absent element; a nested record is a nested element; a list of texts is a repeated element named in the singular
 * ({@code champs} / {@code champ}). Reading ignores nothing silently: an element that is not a component of the record
 * is reported by the schema, which callers run first.
 */
public final class ContractXml {
    public static final String NS = "urn:fr:aisne:hub:ouiform:v1";

    private ContractXml() {
    }

    /** The element {@code name} holding {@code message}. */
    public static Element toXml(Document doc, String name, Record message) {
        Element e = doc.createElementNS(NS, "of:" + name);
        for (RecordComponent c : message.getClass().getRecordComponents()) {
            Object value = get(c, message);
            if (value == null) {
                continue;
            }
            if (value instanceof Record nested) {
                e.appendChild(toXml(doc, c.getName(), nested));
            } else if (value instanceof List<?> list) {
                String item = singular(c.getName());
                for (Object v : list) {
                    e.appendChild(leaf(doc, item, String.valueOf(v)));
                }
            } else {
                e.appendChild(leaf(doc, c.getName(), String.valueOf(value)));
            }
        }
        return e;
    }

    /** The record of type {@code type} that {@code element} holds (run the schema on it first). */
    public static <R extends Record> R fromXml(Element element, Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            if (List.class.isAssignableFrom(c.getType())) {
                List<String> values = new ArrayList<>();
                for (Element child : children(element, singular(c.getName()))) {
                    values.add(child.getTextContent().trim());
                }
                args[i] = values.isEmpty() ? null : values;
                checkTextList(c);
                continue;
            }
            List<Element> found = children(element, c.getName());
            if (found.isEmpty()) {
                continue;
            }
            Element child = found.get(0);
            if (Record.class.isAssignableFrom(c.getType())) {
                args[i] = fromXml(child, c.getType().asSubclass(Record.class));
            } else if (c.getType() == Long.class) {
                args[i] = Long.valueOf(child.getTextContent().trim());
            } else {
                args[i] = child.getTextContent().trim();
            }
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** The child elements of {@code parent} called {@code localName} (any namespace). */
    public static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The text of the first child {@code localName}, or null. */
    public static String text(Element parent, String localName) {
        List<Element> c = children(parent, localName);
        return c.isEmpty() ? null : c.get(0).getTextContent().trim();
    }

    private static Element leaf(Document doc, String name, String text) {
        Element e = doc.createElementNS(NS, "of:" + name);
        e.setTextContent(text);
        return e;
    }

    private static String singular(String name) {
        return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    }

    private static void checkTextList(RecordComponent c) {
        if (!(c.getGenericType() instanceof ParameterizedType p) || p.getActualTypeArguments()[0] != String.class) {
            throw new IllegalStateException(c.getName() + ": only lists of texts are mapped");
        }
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }
}
