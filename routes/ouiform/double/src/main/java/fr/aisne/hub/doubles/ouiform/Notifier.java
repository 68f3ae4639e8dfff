package fr.aisne.hub.doubles.ouiform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sends the status events to the hub and keeps what happened to each ({@code GET /double/notifications}): an event
 * the hub could not take (no connection, 5xx, 429, INDISPONIBLE, ERREUR_INTERNE) is sent again every
 * {@code hub.retrySeconds}, up to {@code hub.maxAttempts} attempts, with the same idEvenement; a refusal (4xx, a
 * client fault) is final. Events of one prescription are sent independently: the hub puts them back in order with
 * their sequence, as the contract says.
 */
final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    /** What is known of one event: the last attempt's outcome. */
    static final class Notification {
        final String idEvenement;
        final ObjectNode evenement;
        final Canal canal;
        final Instant creeLe;
        private int attempts;
        private String etat = "EN_COURS";
        private int lastHttpStatus;
        private String lastCode;
        private String lastMessage;
        private JsonNode lastAnswer;

        Notification(ObjectNode evenement, Canal canal, Instant creeLe) {
            this.idEvenement = evenement.get("idEvenement").asText();
            this.evenement = evenement;
            this.canal = canal;
            this.creeLe = creeLe;
        }

        synchronized String etat() {
            return etat;
        }

        synchronized int attempts() {
            return attempts;
        }

        synchronized ObjectNode toJson() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("idEvenement", idEvenement);
            n.put("idPrescriptionOuiForm", evenement.get("idPrescriptionOuiForm").asText());
            n.put("idPrescriptionHub", evenement.get("idPrescriptionHub").asText());
            n.put("sequence", evenement.get("sequence").asLong());
            n.put("statut", evenement.get("statut").asText());
            n.put("canal", canal.name());
            n.put("etat", etat);
            n.put("tentatives", attempts);
            n.put("derniereReponseHttp", lastHttpStatus);
            if (lastCode != null) {
                n.put("dernierCode", lastCode);
            }
            if (lastMessage != null) {
                n.put("dernierMessage", lastMessage);
            }
            if (lastAnswer != null) {
                n.set("derniereReponse", lastAnswer);
            }
            n.set("evenement", evenement);
            return n;
        }
    }

    private final HubClient client;
    private final ScheduledExecutorService scheduler;
    private final Stats stats;
    private final Map<String, Notification> all = new LinkedHashMap<>();
    /** Attempts planned for events of an older generation (before a reset) are dropped. */
    private final AtomicLong generation = new AtomicLong();

    Notifier(HubClient client, ScheduledExecutorService scheduler, Stats stats) {
        this.client = client;
        this.scheduler = scheduler;
        this.stats = stats;
    }

    HubClient client() {
        return client;
    }

    /** Sends {@code evenement} via {@code canal}; the first attempt runs now in this thread when {@code now}. */
    Notification send(ObjectNode evenement, Canal canal, boolean now) {
        Notification n = new Notification(evenement, canal, Instant.now());
        synchronized (all) {
            all.put(n.idEvenement, n);
        }
        stats.count(Stats.EVENTS_CREATED);
        long gen = generation.get();
        if (now) {
            attempt(n, gen);
        } else {
            scheduler.execute(() -> attempt(n, gen));
        }
        return n;
    }

    /** Sends an event already sent once more, with the same idEvenement (the hub should answer DEJA_RECU). */
    Notification resend(String idEvenement) {
        Notification previous;
        synchronized (all) {
            previous = all.get(idEvenement);
        }
        if (previous == null) {
            return null;
        }
        Notification n = new Notification(previous.evenement.deepCopy(), previous.canal, Instant.now());
        attempt(n, generation.get());
        return n;
    }

    private void attempt(Notification n, long gen) {
        if (gen != generation.get()) {
            return;
        }
        HubClient.Outcome o;
        try {
            o = client.notifier(n.evenement, n.canal);
        } catch (Refus r) {
            o = new HubClient.Outcome(HubClient.Result.REFUSE, 0, r.code.name(), r.getMessage(), null);
        } catch (RuntimeException e) {
            o = new HubClient.Outcome(HubClient.Result.A_REESSAYER, 0, null, e.getClass().getSimpleName(), null);
        }
        boolean again;
        synchronized (n) {
            n.attempts++;
            n.lastHttpStatus = o.httpStatus();
            n.lastCode = o.code();
            n.lastMessage = o.message();
            n.lastAnswer = o.answer();
            again = o.result() == HubClient.Result.A_REESSAYER && n.attempts < client.settings().maxAttempts();
            n.etat = switch (o.result()) {
                case ACCEPTE -> "ACCEPTE";
                case DEJA_RECU -> "DEJA_RECU";
                case REFUSE -> "REFUSE";
                case A_REESSAYER -> again ? "EN_COURS" : "ABANDONNE";
            };
        }
        switch (o.result()) {
            case ACCEPTE, DEJA_RECU -> stats.count(Stats.EVENTS_DELIVERED);
            case REFUSE -> stats.count(Stats.EVENTS_REFUSED);
            case A_REESSAYER -> {
                stats.count(Stats.EVENT_ATTEMPTS_FAILED);
                if (!again) {
                    stats.count(Stats.EVENTS_GIVEN_UP);
                }
            }
            default -> throw new IllegalStateException();
        }
        LOG.info("OuiForm double: event {} via {} attempt {}: {} (HTTP {}{})", n.idEvenement, n.canal, n.attempts(),
                n.etat(), o.httpStatus(), o.code() == null ? "" : ", " + o.code());
        if (again) {
            scheduler.schedule(() -> attempt(n, gen), client.settings().retrySeconds(), TimeUnit.SECONDS);
        }
    }

    List<ObjectNode> list() {
        List<Notification> copy;
        synchronized (all) {
            copy = new ArrayList<>(all.values());
        }
        return copy.stream().map(Notification::toJson).toList();
    }

    long pending() {
        synchronized (all) {
            return all.values().stream().filter(n -> n.etat().equals("EN_COURS")).count();
        }
    }

    void clear() {
        generation.incrementAndGet();
        synchronized (all) {
            all.clear();
        }
    }
}
