package fr.aisne.hub.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A message being delivered: its journal metadata and its payload (read again from the start at each call). */
public interface Delivery {

    String exchangeId();

    String correlationId();

    String partner();

    String flow();

    String contentType();

    /** The partner's message id it was received with, or null. */
    String partnerMessageId();

    /** The ordering key, or null. */
    String orderingKey();

    /** Who handed it to the hub. */
    String sender();

    /** 1 for the first attempt. */
    int attempt();

    /** The payload's size in bytes. */
    long size();

    /** The payload, decrypted, streamed (a large file is never held in memory). */
    InputStream openPayload() throws IOException;

    /** The payload as UTF-8 text, for small payloads only (JSON messages); refuses above 16 MiB. */
    default String payloadText() throws IOException {
        if (size() > 16L * 1024 * 1024) {
            throw new IOException("payload of " + size() + " bytes is too large to be read as text; stream it");
        }
        try (InputStream in = openPayload()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
