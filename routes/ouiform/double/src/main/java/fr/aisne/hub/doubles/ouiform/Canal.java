package fr.aisne.hub.doubles.ouiform;

import java.util.Locale;

/** The binding a message travels on: SOAP (WSDL) or REST (OpenAPI). */
enum Canal {
    SOAP, REST;

    static Canal parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
