package fr.aisne.hub.connector.francetravail.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * What France Travail told the hub, as department events (so that the department's platform hears of it, e.g. by
 * the Aisne-actifs.com webhooks): {@code france-travail.identifie} when the identification flow found the person
 * (details: code, certifiee), {@code orientation.lue-france-travail} when an orientation was read back (details:
 * parcours, organisme, date, etat, from the values France Travail gave). Published after the delivery's work, once
 * per exchange (the batch is a name-based UUID of the exchange and the kind: a redelivery adds nothing). Without the
 * event feed nothing is published. Never a NIR nor France Travail's number.
 */
final class FtEvents {
    private final Supplier<DepartmentEvents> events;
    private final PersonRegistry registry;
    private final FtStore store;
    private final Clock clock;

    FtEvents(Supplier<DepartmentEvents> events, PersonRegistry registry, FtStore store, Clock clock) {
        this.events = events;
        this.registry = registry;
        this.store = store;
        this.clock = clock;
    }

    void identified(String personId, String exchangeId) {
        store.identification(personId).filter(i -> Identification.Status.IDENTIFIED.name().equals(i.status())
                && exchangeId.equals(i.exchangeId())).ifPresent(i -> {
                    Map<String, String> d = new LinkedHashMap<>();
                    d.put("code", i.code() == null ? "S001" : i.code());
                    if (i.certified() != null) {
                        d.put("certifiee", i.certified());
                    }
                    publish(DepartmentEvent.FT_IDENTIFIED, personId, exchangeId, d);
                });
    }

    void orientationRead(String personId, String exchangeId) {
        ConsolidatedPerson p = registry.find(personId).orElse(null);
        if (p == null) {
            return;
        }
        Map<String, String> d = new LinkedHashMap<>();
        put(d, "parcours", p, "orientation", exchangeId);
        put(d, "organisme", p, "orientation_organisme", exchangeId);
        put(d, "date", p, "orientation_date", exchangeId);
        put(d, "etat", p, "orientation_etat", exchangeId);
        if (!d.isEmpty()) {
            publish(DepartmentEvent.FT_ORIENTATION_READ, personId, exchangeId, d);
        }
    }

    /** A value France Travail gave in this exchange (the registry keeps each source's values with their exchange). */
    private static void put(Map<String, String> d, String key, ConsolidatedPerson p, String attribute, String exchangeId) {
        ConsolidatedPerson.Attribute a = p.attributes().get(attribute);
        if (a == null) {
            return;
        }
        if (Identification.PARTNER.equals(a.source().partner()) && exchangeId.equals(a.source().exchangeId())) {
            d.put(key, a.value());
            return;
        }
        a.conflicts().stream().filter(c -> Identification.PARTNER.equals(c.source().partner())
                && exchangeId.equals(c.source().exchangeId())).findFirst().ifPresent(c -> d.put(key, c.value()));
    }

    private void publish(String type, String personId, String exchangeId, Map<String, String> details) {
        DepartmentEvents feed = events.get();
        if (feed == null) {
            return;
        }
        String batch = UUID.nameUUIDFromBytes((exchangeId + "/" + type).getBytes(StandardCharsets.UTF_8)).toString();
        feed.publish(batch, List.of(DepartmentEvent.of(type, personId, null, clock.instant(), Identification.PARTNER,
                exchangeId, details)));
    }
}
