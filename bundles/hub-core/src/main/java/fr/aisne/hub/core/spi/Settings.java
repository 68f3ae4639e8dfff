package fr.aisne.hub.core.spi;

import java.util.Map;

/** Typed reads of a connector's settings (etc/hub.connector.<id>.cfg), with errors naming the key. */
public final class Settings {
    private Settings() {
    }

    public static String string(Map<String, ?> settings, String key, String defaultValue) {
        Object v = settings == null ? null : settings.get(key);
        return v == null || v.toString().isBlank() ? defaultValue : v.toString().trim();
    }

    public static String required(Map<String, ?> settings, String key) {
        String v = string(settings, key, null);
        if (v == null) {
            throw new IllegalArgumentException("missing setting " + key);
        }
        return v;
    }

    public static int intValue(Map<String, ?> settings, String key, int defaultValue) {
        String v = string(settings, key, null);
        try {
            return v == null ? defaultValue : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be an integer, was '" + v + "'");
        }
    }

    public static long longValue(Map<String, ?> settings, String key, long defaultValue) {
        String v = string(settings, key, null);
        try {
            return v == null ? defaultValue : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be an integer, was '" + v + "'");
        }
    }

    public static double doubleValue(Map<String, ?> settings, String key, double defaultValue) {
        String v = string(settings, key, null);
        try {
            return v == null ? defaultValue : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a number, was '" + v + "'");
        }
    }

    public static boolean bool(Map<String, ?> settings, String key, boolean defaultValue) {
        String v = string(settings, key, null);
        return v == null ? defaultValue : Boolean.parseBoolean(v);
    }
}
