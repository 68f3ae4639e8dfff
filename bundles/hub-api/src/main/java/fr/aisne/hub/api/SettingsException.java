package fr.aisne.hub.api;

/**
 * A setting of a connector is wrong. The message names the file, the key, the problem and the fix; it quotes
 * the value only when the key is not a secret. The connector is then listed DOWN with this message.
 */
public class SettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public SettingsException(String file, String key, String problem, String fix) {
        super(file + ": " + key + " " + problem + (fix == null || fix.isEmpty() ? "" : "; fix: " + fix));
        this.key = key;
    }

    public String key() {
        return key;
    }
}
