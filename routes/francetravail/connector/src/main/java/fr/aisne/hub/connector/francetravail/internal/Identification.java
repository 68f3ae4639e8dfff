package fr.aisne.hub.connector.francetravail.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.FtSettings.Agent;
import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.client.FranceTravailClient.Search;
import fr.aisne.hub.connector.francetravail.client.FtException;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Finds a person at France Travail (rechercher-usager v2) and keeps the jeton usager that person-scoped calls
 * need. The NIR and birth date come from the registry through the disclosure rules
 * ({@code disclose.france-travail.identification}), never from a payload; the France Travail number, once known,
 * is used instead of the NIR. Outcomes:
 * <ul>
 * <li>S001: the number is recorded in the registry as {@code france-travail:numero}, the jeton stored encrypted
 * with its expiry;</li>
 * <li>S002 (nobody), S003 (several), no NIR or birth date: recorded in ft_identification for a human, returned
 * (the exchange completes with that detail, it is not retried);</li>
 * <li>R001 (refused) and R997 (invalid): recorded, then thrown as not retryable;</li>
 * <li>R998, R999, timeouts, 5xx: thrown as retryable.</li>
 * </ul>
 */
final class Identification {
    private static final Logger LOG = LoggerFactory.getLogger(Identification.class);
    static final String PARTNER = "france-travail";
    static final String PURPOSE = "identification";
    static final String NUMERO = "france-travail:numero";
    static final String NUMERO_FIELD = "id.france-travail.numero";
    private static final java.util.regex.Pattern NUMERO_FORMAT = java.util.regex.Pattern.compile("\\d{11}");

    enum Status {
        IDENTIFIED, NOT_FOUND, SEVERAL, MISSING_DATA, REFUSED, INVALID;

        boolean needsHuman() {
            return this != IDENTIFIED;
        }
    }

    /** What an identification gave. The jeton is never printed. */
    record Outcome(Status status, String code, String detail, String jeton) {
        @Override
        public String toString() {
            return "Outcome[" + status + ", " + code + "]";
        }
    }

    private final FranceTravailClient client;
    private final PersonRegistry registry;
    private final FtStore store;
    private final Clock clock;
    private final Duration jetonTtl;

    Identification(FranceTravailClient client, PersonRegistry registry, FtStore store, Clock clock, Duration jetonTtl) {
        this.client = client;
        this.registry = registry;
        this.store = store;
        this.clock = clock;
        this.jetonTtl = jetonTtl;
    }

    /** Asks France Travail who the person is, records the outcome, and returns it. */
    Outcome identify(String personId, String exchangeId, Agent agent) throws FtException, InterruptedException {
        Map<String, Object> disclosed;
        try {
            disclosed = registry.disclose(personId, PARTNER, PURPOSE, exchangeId);
        } catch (IllegalArgumentException unknown) {
            throw new FtException(FtException.Kind.INVALID, "unknown-person", "person " + personId
                    + " is not in the registry; nothing asked to France Travail");
        }
        String nir13 = string(disclosed.get("nir"));
        String nir = withKey(nir13);
        String birthDate = string(disclosed.get("date_naissance"));
        // Only a France Travail number (11 digits) is searched by: the CAF's IDASSEDIC, recorded under the same
        // identifier kind, is the former Pole emploi id and is not accepted by rechercher-usager.
        String numero = searchable(string(disclosed.get(NUMERO_FIELD)));
        if (numero == null) {
            numero = searchable(store.identification(personId).map(FtStore.Identification::numero).orElse(null));
        }
        Search s;
        String how;
        try {
            if (numero != null) {
                s = client.searchByNumero(numero, agent);
                how = "by France Travail number";
                if ("S002".equals(s.codeRetour()) && nir != null && birthDate != null) {
                    s = client.searchByNir(nir, birthDate, agent);
                    how = "by NIR and birth date (the number is no longer known)";
                }
            } else if (nir != null && birthDate != null) {
                s = client.searchByNir(nir, birthDate, agent);
                how = "by NIR and birth date";
            } else {
                String detail = "France Travail identification impossible: the registry discloses no "
                        + (nir == null ? "NIR" : "birth date") + " (nor France Travail number) for this person under "
                        + "disclose.france-travail.identification; needs a human (table ft_identification)";
                store.recordIdentification(personId, Status.MISSING_DATA.name(), null, null, null, exchangeId, clock.instant());
                store.forgetJeton(personId);
                return new Outcome(Status.MISSING_DATA, null, detail, null);
            }
        } catch (FtException e) {
            if (e.kind() == FtException.Kind.REFUSED || e.kind() == FtException.Kind.INVALID) {
                Status st = e.kind() == FtException.Kind.REFUSED ? Status.REFUSED : Status.INVALID;
                store.recordIdentification(personId, st.name(), e.code(), null, null, exchangeId, clock.instant());
                store.forgetJeton(personId);
            }
            throw e;
        }
        return switch (s.codeRetour()) {
            case "S001" -> identified(personId, exchangeId, agent, s, nir13, numero, how);
            case "S002" -> needsHuman(personId, exchangeId, Status.NOT_FOUND, s, "France Travail knows nobody with this "
                    + (how.startsWith("by NIR") ? "NIR and birth date" : "number") + " (S002)");
            default -> needsHuman(personId, exchangeId, Status.SEVERAL, s, "France Travail found several persons "
                    + how + " (S003)");
        };
    }

    /** A valid jeton for the person: the stored one, or a new identification. */
    String jeton(String personId, String exchangeId, Agent agent, String what) throws FtException, InterruptedException {
        Optional<FtStore.Jeton> j = store.validJeton(personId, clock.instant());
        if (j.isPresent()) {
            return j.get().value();
        }
        Outcome o = identify(personId, exchangeId, agent);
        if (o.status() != Status.IDENTIFIED) {
            throw new FtException(FtException.Kind.INVALID, o.code() == null ? o.status().name() : o.code(),
                    "person not identified at France Travail (" + o.status() + (o.code() == null ? "" : " " + o.code())
                            + "): " + what + " not sent; resolve the identification (table ft_identification), then replay");
        }
        return o.jeton();
    }

    /** Runs a person-scoped call with the jeton; a refused jeton is renewed once by a new identification. */
    <T> T withJeton(String personId, String exchangeId, Agent agent, String what, JetonCall<T> call)
            throws FtException, InterruptedException {
        String jeton = jeton(personId, exchangeId, agent, what);
        try {
            return call.apply(jeton);
        } catch (FtException e) {
            if (e.kind() != FtException.Kind.JETON_REJECTED) {
                throw e;
            }
            LOG.info("France Travail refused the stored jeton of person {} for {}: identifying again", personId, what);
            store.forgetJeton(personId);
            return call.apply(jeton(personId, exchangeId, agent, what));
        }
    }

    @FunctionalInterface
    interface JetonCall<T> {
        T apply(String jeton) throws FtException, InterruptedException;
    }

    private Outcome identified(String personId, String exchangeId, Agent agent, Search s, String nir, String knownNumero,
            String how) throws FtException, InterruptedException {
        if (s.jetonUsager() == null || s.jetonUsager().isBlank()) {
            throw new FtException(FtException.Kind.RETRY_LATER, "S001", "France Travail answered S001 without a "
                    + "jetonUsager; retried later");
        }
        Instant now = clock.instant();
        store.saveJeton(personId, s.jetonUsager(), now, now.plus(jetonTtl));
        String numero = s.numeroFranceTravail() != null ? s.numeroFranceTravail() : knownNumero;
        Map<String, String> attributes = new LinkedHashMap<>();
        if (numero == null) {
            // rechercher-usager does not always give the number: informations-administratives does.
            try {
                Optional<JsonNode> infos = client.read(FtSettings.INFORMATIONS_ADMINISTRATIVES,
                        FranceTravailClient.INFORMATIONS_ADMINISTRATIVES, s.jetonUsager(), agent, "informations-administratives");
                if (infos.isPresent()) {
                    numero = FtMapping.numero(infos.get());
                    attributes.putAll(FtMapping.informationsAdministratives(infos.get()));
                }
            } catch (FtException e) {
                LOG.info("France Travail number of person {} not read ({}); recorded at the next refresh", personId,
                        e.getMessage());
            }
        }
        if (s.topIdentiteCertifiee() != null) {
            attributes.put("ft_identite_certifiee", s.topIdentiteCertifiee());
        }
        String recorded = "";
        Map<String, String> identifiers = numero == null ? Map.of() : Map.of(NUMERO, numero);
        // The NIR, or the number the registry already holds for this person, puts the observation on this person;
        // a number the registry does not know, alone, would create another person.
        boolean keyed = nir != null || (numero != null && numero.equals(registryNumero(personId).orElse(null)));
        if (!keyed) {
            recorded = "; not recorded in the registry (no NIR disclosed, number not yet in the registry)";
        } else {
            MatchResult r = registry.observe(new PersonObservation(PARTNER, exchangeId, now, nir, identifiers, attributes, null));
            if (!personId.equals(r.personId())) {
                LOG.warn("France Travail identification of person {} was recorded by the registry as {} on {}", personId,
                        r.outcome(), r.personId());
                recorded = "; registry recorded it as " + r.outcome() + " on person " + r.personId() + " (check)";
            } else {
                recorded = numero != null ? "; number recorded as " + NUMERO : "; number not given by France Travail";
            }
        }
        store.recordIdentification(personId, Status.IDENTIFIED.name(), s.codeRetour(), numero, s.topIdentiteCertifiee(),
                exchangeId, now);
        String detail = "France Travail identified the person " + how + " (S001, identity certified: "
                + (s.topIdentiteCertifiee() == null ? "unknown" : s.topIdentiteCertifiee()) + ")" + recorded
                + "; jeton kept until " + now.plus(jetonTtl);
        return new Outcome(Status.IDENTIFIED, s.codeRetour(), detail, s.jetonUsager());
    }

    private Outcome needsHuman(String personId, String exchangeId, Status status, Search s, String what) {
        store.recordIdentification(personId, status.name(), s.codeRetour(), null, null, exchangeId, clock.instant());
        store.forgetJeton(personId);
        LOG.info("France Travail identification of person {}: {} ({}), needs a human", personId, status, s.codeRetour());
        return new Outcome(status, s.codeRetour(), what + ": needs a human (table ft_identification)", null);
    }

    /**
     * The person's France Travail number as the registry holds it (the key its observations match on): the one
     * France Travail itself gave, else any (e.g. the CAF's IDASSEDIC, recorded under the same kind).
     */
    Optional<String> registryNumero(String personId) {
        return registry.find(personId).flatMap(c -> c.identifiers().stream()
                .filter(i -> PARTNER.equals(i.partner()) && "numero".equals(i.kind()))
                .sorted(java.util.Comparator.comparing(i -> i.source() != null && PARTNER.equals(i.source().partner()) ? 0 : 1))
                .map(i -> i.value()).findFirst());
    }

    /** A number rechercher-usager accepts (11 digits), or null. */
    static String searchable(String numero) {
        return numero != null && NUMERO_FORMAT.matcher(numero).matches() ? numero : null;
    }

    /**
     * The NIR as rechercher-usager wants it: 15 characters, the 13 of the registry followed by the key
     * (97 - NIR mod 97, Corsica 2A/2B read as 19/18). A NIR already given with its key is kept.
     */
    static String withKey(String nir) {
        if (nir == null || nir.length() != 13) {
            return nir;
        }
        try {
            int key = fr.aisne.hub.registry.Nir.key(nir);
            return nir + (key < 10 ? "0" : "") + key;
        } catch (RuntimeException malformed) {
            return nir; // France Travail answers R997, recorded for a human
        }
    }

    private static String string(Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString();
    }
}
