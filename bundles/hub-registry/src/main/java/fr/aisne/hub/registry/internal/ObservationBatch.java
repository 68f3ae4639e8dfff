package fr.aisne.hub.registry.internal;

import fr.aisne.hub.api.Jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.registry.ConsolidatedPerson.Attribute;
import fr.aisne.hub.registry.ConsolidatedPerson.Provenance;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.MatchResult.Outcome;
import fr.aisne.hub.registry.Nir;
import fr.aisne.hub.registry.PersonObservation;

/**
 * Matches and records a list of observations in the caller's transaction with a fixed number of statements
 * per batch instead of a dozen per person: what the batch needs is read first with IN lists (NIR blind
 * indexes, partner identifiers, households and their members, persons born the same days), the observations
 * are then matched one after the other against that cache (so two observations of the same new person in a
 * batch still make one person), and the writes are sent as JDBC batches at the end.
 * <p>
 * A value a source repeats unchanged is not recorded again: its history row keeps the first observation
 * (a monthly file repeats every value; the history shows changes, not repetitions).
 */
final class ObservationBatch {
    private static final Logger LOG = LoggerFactory.getLogger(ObservationBatch.class);
    private static final int IN_CHUNK = 300;
    /**
     * Derby plans a statement with the statistics of the moment, and a table that was empty when the import
     * began is scanned whole for every IN list afterwards: these overrides make it probe the index instead.
     */
    private static final String USE_INDEX = "--DERBY-PROPERTIES constraint=";
    private static final String USE_INDEX_NAMED = "--DERBY-PROPERTIES index=";
    private static final Set<String> IDENTITY = Set.of(RegistryService.BIRTH_DATE, RegistryService.BIRTH_NAME,
            RegistryService.USAGE_NAME, RegistryService.FIRST_NAME);

    /** A person's comparison keys as stored in reg_person (or computed for a person created in this batch). */
    private record Candidate(String personId, String birthName, String usageName, String firstName) {
    }

    private final Jdbc db;
    private final NirVault vault;
    private final Consolidation consolidation;
    private final Instant now;
    /** Identity attributes of a stored person (four retained values). */
    private final Function<String, Map<String, Attribute>> storedIdentity;
    /** An observation as kept while it waits for an operator (its NIR sealed for the candidate's row). */
    private final PendingJson pendingJson;

    /** The JSON form of an observation waiting for an operator as candidate {@code candidateId}. */
    @FunctionalInterface
    interface PendingJson {
        String write(String candidateId, PersonObservation o, String nir);
    }

    private final Map<String, String> personByNirIndex = new HashMap<>();
    /** "" when the person is known to have no NIR. */
    private final Map<String, String> nirIndexByPerson = new HashMap<>();
    private final Map<String, String> personByIdentifier = new HashMap<>();
    private final Map<String, String> householdIds = new HashMap<>();
    private final Map<String, String> roleByMembership = new HashMap<>();
    private final Set<String> birthDatesLoaded = new HashSet<>();
    private final Map<String, List<Candidate>> candidatesByBirthDate = new HashMap<>();
    private final Map<String, Map<String, String>> latestBySource = new HashMap<>();
    /** Identity observations of the persons created in this batch (they are not in the database yet). */
    private final Map<String, List<Consolidation.Observed>> newIdentity = new LinkedHashMap<>();
    private final Set<String> identityChanged = new LinkedHashSet<>();

    private final List<Object[]> households = new ArrayList<>();
    private final List<Object[]> nirs = new ArrayList<>();
    private final List<Object[]> identifiers = new ArrayList<>();
    private final List<Object[]> attributes = new ArrayList<>();
    private final List<Object[]> memberships = new ArrayList<>();
    private final List<Object[]> roleChanges = new ArrayList<>();

    ObservationBatch(Jdbc db, NirVault vault, Consolidation consolidation, Instant now,
            Function<String, Map<String, Attribute>> storedIdentity, PendingJson pendingJson) {
        this.db = db;
        this.vault = vault;
        this.consolidation = consolidation;
        this.now = now;
        this.storedIdentity = storedIdentity;
        this.pendingJson = pendingJson;
    }

    /** Matches and records every observation; call {@link #flush()} before the transaction commits. */
    List<MatchResult> observeAll(List<PersonObservation> observations) {
        List<String> nirList = new ArrayList<>(observations.size());
        List<String> indexes = new ArrayList<>(observations.size());
        for (PersonObservation o : observations) {
            String nir = o.nir() == null || o.nir().isBlank() ? null : Nir.canonical(o.nir());
            nirList.add(nir);
            indexes.add(nir == null ? null : vault.index(nir));
        }
        prefetch(observations, indexes);
        List<MatchResult> out = new ArrayList<>(observations.size());
        for (int i = 0; i < observations.size(); i++) {
            out.add(match(observations.get(i), nirList.get(i), indexes.get(i)));
        }
        return out;
    }

    /** Records an observation on a known person (an operator's decision). */
    void recordOn(String personId, PersonObservation o, String nir) {
        String index = nir == null ? null : vault.index(nir);
        prefetch(List.of(o), java.util.Arrays.asList(index));
        record(personId, o, nir, index);
    }

    /** Creates a person and records the observation on it (an operator's decision). */
    String recordOnNewPerson(PersonObservation o, String nir) {
        String personId = newPerson(o);
        recordOn(personId, o, nir);
        return personId;
    }

    // ---- reading what the batch needs, a few statements in all ----------------------------------------

    private void prefetch(List<PersonObservation> observations, List<String> indexes) {
        Set<String> wanted = new LinkedHashSet<>();
        indexes.stream().filter(Objects::nonNull).filter(ix -> !personByNirIndex.containsKey(ix)).forEach(wanted::add);
        inChunks(wanted, chunk -> db.query("SELECT nir_index, person_id FROM reg_nir " + USE_INDEX + "REG_NIR_INDEX_UNIQUE\n WHERE nir_index IN (" + marks(chunk)
                + ")", rs -> {
                    personByNirIndex.put(rs.getString(1), rs.getString(2));
                    nirIndexByPerson.put(rs.getString(2), rs.getString(1));
                    return null;
                }, chunk.toArray()));

        Map<String, Set<String>> valuesByKind = new LinkedHashMap<>();
        for (PersonObservation o : observations) {
            o.identifiers().forEach((key, value) -> {
                if (!value.isBlank() && !personByIdentifier.containsKey(idKey(key, value))) {
                    valuesByKind.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(value);
                }
            });
        }
        valuesByKind.forEach((key, values) -> {
            if (PersonObservation.REGISTRY_ID.equals(key)) {
                // The registry's own id, given by a connector that records what the department decided about a person
                // it already knows (Aisne-actifs.com): it places the observation on that person, never on a new one.
                inChunks(values, chunk -> db.query("SELECT id FROM reg_person WHERE id IN (" + marks(chunk) + ")",
                        rs -> personByIdentifier.put(idKey(key, rs.getString(1)), rs.getString(1)), chunk.toArray()));
                return;
            }
            String[] pk = partnerKind(key);
            inChunks(values, chunk -> {
                List<Object> args = new ArrayList<>(chunk);
                args.add(0, pk[1]);
                args.add(0, pk[0]);
                return db.query("SELECT id_value, person_id FROM reg_identifier " + USE_INDEX_NAMED + "REG_IDENTIFIER_LOOKUP\n"
                        + " WHERE partner = ? AND kind = ? AND id_value IN (" + marks(chunk) + ")", rs -> personByIdentifier.put(idKey(key, rs.getString(1)),
                                rs.getString(2)), args.toArray());
            });
        });

        Set<String> matricules = new LinkedHashSet<>();
        observations.stream().filter(o -> o.household() != null)
                .filter(o -> !householdIds.containsKey(householdKey(o.household())))
                .forEach(o -> matricules.add(o.household().matricule()));
        List<String> foundHouseholds = new ArrayList<>();
        inChunks(matricules, chunk -> db.query("SELECT id, numorg, matricule FROM reg_household " + USE_INDEX_NAMED
                + "REG_HOUSEHOLD_MATRICULE\n WHERE matricule IN (" + marks(chunk) + ")", rs -> {
                    householdIds.put(rs.getString(2) + "/" + rs.getString(3), rs.getString(1));
                    foundHouseholds.add(rs.getString(1));
                    return null;
                }, chunk.toArray()));
        inChunks(foundHouseholds, chunk -> db.query("SELECT household_id, person_id, role FROM reg_membership "
                + USE_INDEX_NAMED + "REG_MEMBERSHIP_HOUSEHOLD\n WHERE household_id IN (" + marks(chunk) + ")", rs ->
                        roleByMembership.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3)), chunk.toArray()));

        // The latest values the same source gave the persons already placed (to record only what changed).
        Set<String> placedPersons = new LinkedHashSet<>();
        for (int i = 0; i < observations.size(); i++) {
            PersonObservation o = observations.get(i);
            String person = indexes.get(i) == null ? null : personByNirIndex.get(indexes.get(i));
            if (person == null) {
                person = o.identifiers().entrySet().stream().map(id -> personByIdentifier.get(idKey(id.getKey(),
                        id.getValue()))).filter(Objects::nonNull).findFirst().orElse(null);
            }
            if (person != null && !latestBySource.containsKey(person + "/" + o.sourcePartner())) {
                placedPersons.add(person);
            }
        }
        Map<String, Map<String, Map<String, String>>> latest = new HashMap<>();
        inChunks(placedPersons, chunk -> db.query("SELECT person_id, source_partner, name, attr_value FROM reg_attribute "
                + USE_INDEX_NAMED + "REG_ATTRIBUTE_PERSON\n WHERE person_id IN (" + marks(chunk) + ") ORDER BY id", rs ->
                        latest.computeIfAbsent(rs.getString(1), p -> new HashMap<>()).computeIfAbsent(rs.getString(2),
                                src -> new HashMap<>()).put(rs.getString(3), rs.getString(4)), chunk.toArray()));
        Set<String> sources = new HashSet<>();
        observations.forEach(o -> sources.add(o.sourcePartner()));
        for (String person : placedPersons) {
            Map<String, Map<String, String>> bySource = latest.getOrDefault(person, Map.of());
            for (String source : sources) {
                latestBySource.putIfAbsent(person + "/" + source, new HashMap<>(bySource.getOrDefault(source, Map.of())));
            }
        }

        // Identity matching only for observations that neither their NIR nor an identifier places.
        Set<String> dates = new LinkedHashSet<>();
        for (int i = 0; i < observations.size(); i++) {
            PersonObservation o = observations.get(i);
            boolean placed = indexes.get(i) != null && personByNirIndex.containsKey(indexes.get(i))
                    || o.identifiers().entrySet().stream().anyMatch(id -> personByIdentifier.containsKey(idKey(id.getKey(),
                            id.getValue())));
            String date = o.attribute(RegistryService.BIRTH_DATE);
            if (!placed && date != null && !birthDatesLoaded.contains(date)) {
                dates.add(date);
            }
        }
        birthDatesLoaded.addAll(dates);
        inChunks(dates, chunk -> db.query("SELECT id, match_birth_date, match_birth_name, match_usage_name, "
                + "match_first_name FROM reg_person " + USE_INDEX_NAMED + "REG_PERSON_BIRTH\n WHERE match_birth_date IN (" + marks(chunk) + ")", rs ->
                        candidatesByBirthDate.computeIfAbsent(rs.getString(2), d -> new ArrayList<>()).add(new Candidate(
                                rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5))), chunk.toArray()));
    }

    // ---- matching, as for one observation, against the cache ------------------------------------------

    private MatchResult match(PersonObservation o, String nir, String index) {
        String byNir = index == null ? null : personByNirIndex.get(index);
        if (byNir != null) {
            record(byNir, o, nir, index);
            return new MatchResult(Outcome.CERTAIN, byNir, null, "nir");
        }
        for (Map.Entry<String, String> id : o.identifiers().entrySet()) {
            if (id.getValue().isBlank()) {
                continue; // unknown at the partner (JSON null): matches nobody
            }
            String person = personByIdentifier.get(idKey(id.getKey(), id.getValue()));
            if (person != null && (index == null || !hasOtherNir(person, index))) {
                record(person, o, nir, index);
                return new MatchResult(Outcome.CERTAIN, person, null, "identifier " + id.getKey());
            }
        }
        List<String> close = closeByIdentity(o, index);
        if (!close.isEmpty()) {
            String candidateId = UUID.randomUUID().toString();
            String reason = "same birth date and close names" + (close.size() > 1 ? " (" + close.size() + " persons)" : "")
                    + "; no shared identifier";
            db.update("INSERT INTO reg_match_candidate (id, person_id, source_partner, source_exchange, observation, "
                    + "reason, status, created_at) VALUES (?,?,?,?,?,?,?,?)", candidateId, close.get(0), o.sourcePartner(),
                    o.sourceExchange(), pendingJson.write(candidateId, o, nir), reason, "PENDING", now);
            LOG.info("Probable match {} from {} waits for an operator", candidateId, o.sourcePartner());
            return new MatchResult(Outcome.PROBABLE, close.get(0), candidateId, "name and birth date");
        }
        String personId = newPerson(o);
        record(personId, o, nir, index);
        return new MatchResult(Outcome.ABSENT, personId, null, "new person");
    }

    /** Persons born the same day whose birth or usage name and first name are close to the observation's. */
    private List<String> closeByIdentity(PersonObservation o, String index) {
        String birthDate = o.attribute(RegistryService.BIRTH_DATE);
        String first = o.attribute(RegistryService.FIRST_NAME);
        if (birthDate == null || first == null || (o.attribute(RegistryService.BIRTH_NAME) == null
                && o.attribute(RegistryService.USAGE_NAME) == null)) {
            return List.of();
        }
        if (birthDatesLoaded.add(birthDate)) {
            db.query("SELECT id, match_birth_name, match_usage_name, match_first_name FROM reg_person WHERE "
                    + "match_birth_date = ?", rs -> candidatesByBirthDate.computeIfAbsent(birthDate, d -> new ArrayList<>())
                            .add(new Candidate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))), birthDate);
        }
        // Pre-filter on the first-name key (close first names share their first letters), so that only real
        // candidates have their identity read: a large import must not read everyone born that day.
        String firstKey = Names.key(first);
        String prefix = firstKey.substring(0, Math.min(3, firstKey.length()));
        List<String> out = new ArrayList<>();
        for (Candidate c : candidatesByBirthDate.getOrDefault(birthDate, List.of())) {
            if (c.firstName() == null || !c.firstName().startsWith(prefix)) {
                continue;
            }
            Map<String, Attribute> theirs = identityOf(c.personId());
            boolean nameClose = anyClose(java.util.Arrays.asList(o.attribute(RegistryService.BIRTH_NAME),
                    o.attribute(RegistryService.USAGE_NAME)), java.util.Arrays.asList(value(theirs,
                            RegistryService.BIRTH_NAME), value(theirs, RegistryService.USAGE_NAME)));
            if (nameClose && Names.close(first, value(theirs, RegistryService.FIRST_NAME))
                    && (index == null || !hasOtherNir(c.personId(), index))) {
                out.add(c.personId());
            }
        }
        return out;
    }

    private Map<String, Attribute> identityOf(String personId) {
        List<Consolidation.Observed> pending = newIdentity.get(personId);
        return pending != null ? consolidation.consolidate(pending) : storedIdentity.apply(personId);
    }

    private static boolean anyClose(List<String> ours, List<String> theirs) {
        for (String a : ours) {
            for (String b : theirs) {
                if (a != null && b != null && Names.close(a, b)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean hasOtherNir(String personId, String index) {
        String theirs = nirIndexOf(personId);
        return !theirs.isEmpty() && !theirs.equals(index);
    }

    private String nirIndexOf(String personId) {
        return nirIndexByPerson.computeIfAbsent(personId, p -> db.one("SELECT nir_index FROM reg_nir WHERE person_id = ?",
                rs -> rs.getString(1), p).orElse(""));
    }

    // ---- recording, into the batch's pending writes ---------------------------------------------------

    private String newPerson(PersonObservation o) {
        String id = UUID.randomUUID().toString();
        newIdentity.put(id, new ArrayList<>());
        nirIndexByPerson.put(id, "");
        latestBySource.put(id + "/" + o.sourcePartner(), new HashMap<>());
        String birthDate = o.attribute(RegistryService.BIRTH_DATE);
        if (birthDate != null) {
            candidatesByBirthDate.computeIfAbsent(birthDate, d -> new ArrayList<>()).add(new Candidate(id,
                    Names.key(o.attribute(RegistryService.BIRTH_NAME)), Names.key(o.attribute(RegistryService.USAGE_NAME)),
                    Names.key(o.attribute(RegistryService.FIRST_NAME))));
        }
        return id;
    }

    private void record(String personId, PersonObservation o, String nir, String index) {
        Instant at = o.observedAt();
        if (index != null && nirIndexOf(personId).isEmpty() && !personByNirIndex.containsKey(index)) {
            nirs.add(new Object[] {personId, index, vault.encrypt(nir, NirVault.person(personId)), o.sourcePartner(),
                o.sourceExchange(), at});
            personByNirIndex.put(index, personId);
            nirIndexByPerson.put(personId, index);
        }
        o.identifiers().forEach((key, value) -> {
            if (value.isBlank() || PersonObservation.REGISTRY_ID.equals(key)) {
                // an empty identifier would later match every other person without one; the registry's own id is
                // the row itself, not an identifier at a partner
                return;
            }
            String owner = personByIdentifier.putIfAbsent(idKey(key, value), personId);
            if (owner == null) {
                String[] pk = partnerKind(key);
                identifiers.add(new Object[] {pk[0], pk[1], value, personId, o.sourcePartner(), o.sourceExchange(), at});
            } else if (!owner.equals(personId)) {
                LOG.warn("Identifier {} from exchange {} already belongs to another person; not recorded on person {}",
                        key, o.sourceExchange(), personId);
            }
        });
        Map<String, String> latest = latestValues(personId, o.sourcePartner());
        List<Consolidation.Observed> pendingIdentity = newIdentity.get(personId);
        o.attributes().forEach((name, value) -> {
            if (latest.containsKey(name) ? Objects.equals(latest.get(name), value) : value == null || value.isEmpty()) {
                return; // repeated unchanged by the same source, or an empty value that clears nothing
            }
            latest.put(name, value);
            attributes.add(new Object[] {personId, name, value, o.sourcePartner(), o.sourceExchange(), at, now});
            if (IDENTITY.contains(name)) {
                if (pendingIdentity != null) {
                    pendingIdentity.add(new Consolidation.Observed(name, value, new Provenance(o.sourcePartner(),
                            o.sourceExchange(), at)));
                } else {
                    identityChanged.add(personId);
                }
            }
        });
        if (o.household() != null) {
            recordMembership(personId, o, at);
        }
    }

    private Map<String, String> latestValues(String personId, String source) {
        return latestBySource.computeIfAbsent(personId + "/" + source, k -> {
            Map<String, String> m = new HashMap<>();
            db.query("SELECT name, attr_value FROM reg_attribute WHERE person_id = ? AND source_partner = ? ORDER BY id",
                    rs -> m.put(rs.getString(1), rs.getString(2)), personId, source);
            return m;
        });
    }

    private void recordMembership(String personId, PersonObservation o, Instant at) {
        PersonObservation.Household h = o.household();
        String householdId = householdIds.computeIfAbsent(householdKey(h), k -> {
            String id = UUID.randomUUID().toString();
            households.add(new Object[] {id, h.numorg(), h.matricule(), at});
            return id;
        });
        String previous = roleByMembership.put(householdId + "/" + personId, h.role());
        if (previous == null) {
            memberships.add(new Object[] {householdId, personId, h.role(), o.sourcePartner(), o.sourceExchange(), at});
        } else if (!previous.equals(h.role())) {
            roleChanges.add(new Object[] {h.role(), o.sourcePartner(), o.sourceExchange(), at, householdId, personId, at});
        }
    }

    // ---- writing ---------------------------------------------------------------------------------------

    /** Sends the pending writes, one JDBC batch per table, then refreshes the match keys of changed persons. */
    void flush() {
        List<Object[]> persons = new ArrayList<>(newIdentity.size());
        newIdentity.forEach((id, observed) -> {
            Map<String, Attribute> identity = consolidation.consolidate(observed);
            persons.add(new Object[] {id, now, value(identity, RegistryService.BIRTH_DATE),
                Names.key(value(identity, RegistryService.BIRTH_NAME)), Names.key(value(identity, RegistryService.USAGE_NAME)),
                Names.key(value(identity, RegistryService.FIRST_NAME))});
        });
        db.batch("INSERT INTO reg_household (id, numorg, matricule, created_at) VALUES (?,?,?,?)", households);
        db.batch("INSERT INTO reg_person (id, created_at, match_birth_date, match_birth_name, match_usage_name, "
                + "match_first_name) VALUES (?,?,?,?,?,?)", persons);
        db.batch("INSERT INTO reg_nir (person_id, nir_index, nir_encrypted, source_partner, source_exchange, observed_at) "
                + "VALUES (?,?,?,?,?,?)", nirs);
        db.batch("INSERT INTO reg_identifier (partner, kind, id_value, person_id, source_partner, source_exchange, "
                + "observed_at) VALUES (?,?,?,?,?,?,?)", identifiers);
        db.batch("INSERT INTO reg_attribute (person_id, name, attr_value, source_partner, source_exchange, observed_at, "
                + "recorded_at) VALUES (?,?,?,?,?,?,?)", attributes);
        db.batch("INSERT INTO reg_membership (household_id, person_id, role, source_partner, source_exchange, observed_at) "
                + "VALUES (?,?,?,?,?,?)", memberships);
        db.batch("UPDATE reg_membership SET role = ?, source_partner = ?, source_exchange = ?, observed_at = ? "
                + "WHERE household_id = ? AND person_id = ? AND observed_at <= ?", roleChanges);
        List<Object[]> keys = new ArrayList<>(identityChanged.size());
        for (String personId : identityChanged) {
            Map<String, Attribute> identity = storedIdentity.apply(personId);
            keys.add(new Object[] {value(identity, RegistryService.BIRTH_DATE), Names.key(value(identity,
                    RegistryService.BIRTH_NAME)), Names.key(value(identity, RegistryService.USAGE_NAME)),
                Names.key(value(identity, RegistryService.FIRST_NAME)), personId});
        }
        db.batch("UPDATE reg_person SET match_birth_date = ?, match_birth_name = ?, match_usage_name = ?, "
                + "match_first_name = ? WHERE id = ?", keys);
        for (List<Object[]> l : List.of(households, nirs, identifiers, attributes, memberships, roleChanges)) {
            l.clear();
        }
        newIdentity.clear();
        identityChanged.clear();
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static String value(Map<String, Attribute> attributes, String attribute) {
        Attribute a = attributes.get(attribute);
        return a == null ? null : a.value();
    }

    private static String idKey(String partnerKind, String value) {
        return partnerKind + "\u0000" + value;
    }

    private static String householdKey(PersonObservation.Household h) {
        return h.numorg() + "/" + h.matricule();
    }

    static String[] partnerKind(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1) {
            throw new IllegalArgumentException("identifier keys are partner:kind, e.g. caf:matricule");
        }
        return new String[] {key.substring(0, colon), key.substring(colon + 1)};
    }

    private static String marks(Collection<?> values) {
        return "?,".repeat(values.size() - 1) + "?";
    }

    private static <T> void inChunks(Collection<T> values, Function<List<T>, ?> query) {
        List<T> all = new ArrayList<>(values);
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            query.apply(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        }
    }
}
