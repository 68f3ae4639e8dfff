package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.util.Dictionary;
import java.util.Enumeration;
import java.util.function.Supplier;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Whether {@code isRqth} may be kept: RQTH (recognised disabled worker) is health data, a special category (RGPD
 * art. 9), kept only when a disclosure rule of {@code etc/hub.disclosure.cfg} names the field {@code rqth}
 * ({@code disclose.<partner>.<purpose> = ..., rqth}), that is when the DPIA covers a purpose that needs it. Then it
 * is recorded in the registry as {@code rqth} = oui/non (the attribute France Travail's donnees-rqth feeds, never
 * given by a wildcard); otherwise it is dropped on receipt, and nothing says which value it had.
 */
@FunctionalInterface
interface RqthRule {
    String FIELD = "rqth";
    String DISCLOSURE_PID = "hub.disclosure";

    /** True when a disclosure rule names {@code rqth}. */
    boolean keep();

    RqthRule NEVER = () -> false;

    /**
     * Reads the registry's disclosure rules (configuration {@code hub.disclosure}) at each call, without creating or
     * binding that configuration; false when ConfigurationAdmin or the configuration is absent.
     */
    static RqthRule fromDisclosureRules(Supplier<ConfigurationAdmin> admin) {
        return () -> {
            ConfigurationAdmin ca = admin.get();
            if (ca == null) {
                return false;
            }
            try {
                Configuration[] found = ca.listConfigurations("(service.pid=" + DISCLOSURE_PID + ")");
                if (found == null) {
                    return false;
                }
                for (Configuration c : found) {
                    Dictionary<String, Object> p = c.getProperties();
                    if (p != null && namesRqth(p)) {
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false; // unreadable rules: keep nothing
            }
        };
    }

    /** Whether one of the {@code disclose.*} rules lists the field {@code rqth}. */
    static boolean namesRqth(Dictionary<String, ?> rules) {
        for (Enumeration<String> keys = rules.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            Object v = rules.get(k);
            if (k.startsWith("disclose.") && v != null) {
                for (String field : v.toString().split(",")) {
                    if (field.trim().equals(FIELD)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
