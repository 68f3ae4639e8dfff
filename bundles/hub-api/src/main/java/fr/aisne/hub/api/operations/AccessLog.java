package fr.aisne.hub.api.operations;

/**
 * The durable record of who read personal data through the hub's APIs (RGPD accountability): one row per read,
 * with the authenticated account, what was read and when. The registry keeps it (its disclosure log, table
 * {@code reg_disclosure}) and registers this service; the operations API records each payload preview and
 * download through it <em>before</em> it shows a byte, and refuses the read when it cannot be recorded. The DPO
 * reads it at {@code GET /hub/api/departement/acces}.
 */
public interface AccessLog {
    /** The first bytes of a payload shown in a message's detail. */
    String PAYLOAD_PREVIEW = "payload-preview";
    /** The whole payload downloaded. */
    String PAYLOAD_DOWNLOAD = "payload-download";

    /**
     * Records that {@code account} read the stored payload of journal exchange {@code exchangeId}.
     *
     * @param kind {@link #PAYLOAD_PREVIEW} or {@link #PAYLOAD_DOWNLOAD}
     * @throws RuntimeException when the record could not be written: the caller must then refuse the read
     */
    void payloadRead(String account, String exchangeId, String kind);
}
