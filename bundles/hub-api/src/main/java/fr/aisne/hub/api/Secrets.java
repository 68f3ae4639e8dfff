package fr.aisne.hub.api;

/**
 * The hub's sealing of a connector's secrets (AES-256-GCM with a key of the hub's keystore), for client
 * secrets and tokens kept in settings as {@code ENC(...)} or in the connector's tables.
 */
public interface Secrets {

    /** The clear value of a setting written in clear or as {@code ENC(...)}; IllegalStateException if it cannot be opened. */
    String reveal(String settingValue);

    /** True for a value written {@code ENC(...)}. */
    boolean isSealed(String settingValue);

    /** {@code ENC(...)} for a clear value. */
    String sealSetting(String clear);

    /** Seals a value for a table, bound to its use (a sealed value cannot be passed off for another). */
    String seal(String clear, String use);

    /** Opens {@link #seal}'s output; IllegalStateException if the key, the use or a byte differs. */
    String open(String sealed, String use);
}
