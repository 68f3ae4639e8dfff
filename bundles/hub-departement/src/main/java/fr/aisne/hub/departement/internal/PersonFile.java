package fr.aisne.hub.departement.internal;

import static fr.aisne.hub.departement.internal.Vocabulary.*;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.registry.DepartmentEvent;

/**
 * One person's follow-up as the feed and the registry tell it: when the rights and duties opened (the CAF's
 * {@code foyer.nouveau-soumis-droits-devoirs}) and by when the orientation is due ({@code orientation_avant}), the
 * orientation (the first {@code orientation.decidee} on or after the opening, else the registry's
 * {@code orientation_date}), the contrat d'engagement (the latest {@code cer.signe}, else the registry's
 * {@code cer_date_signature} / {@code cer_heures_hebdo}), the territory and the referent.
 */
final class PersonFile {
    final String personId;
    final String territory;
    final String referent;
    LocalDate opened;
    LocalDate orientationDue;
    LocalDate oriented;
    String parcours;
    String organismeType;
    LocalDate cerSigned;
    Integer cerHours;
    boolean closed;
    LocalDate ftRegistered;

    private PersonFile(String personId, String territory, String referent) {
        this.personId = personId;
        this.territory = territory;
        this.referent = referent;
    }

    /** The files of every person the events name, with their registry attributes (missing: none known). */
    static Map<String, PersonFile> build(List<DepartmentEvent> events, Map<String, Map<String, String>> attributes,
            ZoneId zone) {
        Map<String, List<DepartmentEvent>> byPerson = new LinkedHashMap<>();
        for (DepartmentEvent e : events) {
            if (e.personId() != null) {
                byPerson.computeIfAbsent(e.personId(), p -> new ArrayList<>()).add(e);
            }
        }
        attributes.keySet().forEach(p -> byPerson.computeIfAbsent(p, x -> new ArrayList<>()));
        Map<String, PersonFile> out = new LinkedHashMap<>();
        byPerson.forEach((id, own) -> out.put(id, of(id, own, attributes.getOrDefault(id, Map.of()), zone)));
        return out;
    }

    static PersonFile of(String personId, List<DepartmentEvent> events, Map<String, String> attrs, ZoneId zone) {
        List<DepartmentEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(DepartmentEvent::seq));
        String referent = attrs.get(REFERENT_ID);
        for (DepartmentEvent e : ordered) {
            if (REFERENT_NAMED.equals(e.type()) && referent == null) {
                referent = e.details().get("referent_id");
            }
        }
        String territory = attrs.get(UTAS);
        PersonFile f = new PersonFile(personId, territory == null || territory.isBlank() ? NO_TERRITORY : territory.strip(),
                referent);
        for (DepartmentEvent e : ordered) {
            LocalDate day = e.occurredAt().atZone(zone).toLocalDate();
            switch (e.type()) {
                case NEW_HOUSEHOLD_SDD -> {
                    if (f.opened == null) {
                        // the CAF sets orientation_avant = the flux's reference date (DTREF) + 1 month; the event's
                        // own time is when the hub imported the file
                        LocalDate due = date(e.details().get("orientation_avant"));
                        f.opened = due != null ? due.minusMonths(1) : day;
                        f.orientationDue = due != null ? due : day.plusMonths(1);
                    }
                }
                case FILE_CLOSED -> f.closed = true;
                case FILE_REOPENED -> f.closed = false;
                case ORIENTATION_DECIDED -> {
                    LocalDate d = orDefault(date(e.details().get("date")), day);
                    if (f.oriented == null && (f.opened == null || !d.isBefore(f.opened))) {
                        f.oriented = d;
                        f.parcours = e.details().get("parcours");
                        f.organismeType = e.details().get("organisme_type");
                    }
                }
                case CER_SIGNED -> {
                    LocalDate d = orDefault(date(e.details().get("date_signature")), day);
                    if (f.cerSigned == null || !d.isBefore(f.cerSigned)) {
                        f.cerSigned = d;
                        f.cerHours = integer(e.details().get("heures_hebdo"));
                    }
                }
                default -> {
                }
            }
        }
        if (f.oriented == null) {
            LocalDate d = date(attrs.get(ORIENTATION_DATE));
            if (d != null && (f.opened == null || !d.isBefore(f.opened))) {
                f.oriented = d;
                f.parcours = attrs.containsKey(ORIENTATION_PARCOURS) ? attrs.get(ORIENTATION_PARCOURS)
                        : attrs.get(FT_ORIENTATION_PARCOURS);
                f.organismeType = attrs.containsKey(ORIENTATION_ORGANISME_TYPE) ? attrs.get(ORIENTATION_ORGANISME_TYPE)
                        : FT_ORGANISMES.getOrDefault(String.valueOf(attrs.get(FT_ORIENTATION_ORGANISME)),
                                attrs.get(FT_ORIENTATION_ORGANISME));
            }
        }
        if (f.cerSigned == null) {
            f.cerSigned = date(attrs.get(CER_SIGNATURE));
            f.cerHours = f.cerSigned == null ? null : integer(attrs.get(CER_HOURS));
        }
        f.ftRegistered = date(attrs.get(FT_REGISTRATION_DATE));
        return f;
    }

    /** Subject to rights and duties (a CAF opening is known) and the RSA file not closed since. */
    boolean followed() {
        return opened != null && !closed;
    }

    /** Days from the opening of rights to the orientation, or null. */
    Long orientationDelayDays() {
        return opened == null || oriented == null ? null : java.time.temporal.ChronoUnit.DAYS.between(opened, oriented);
    }

    /** Oriented on or before the date the CAF event set ({@code orientation_avant}: one month after the opening). */
    boolean orientedInTime() {
        return oriented != null && orientationDue != null && !oriented.isAfter(orientationDue);
    }

    static LocalDate date(String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(iso.strip().length() > 10 ? iso.strip().substring(0, 10) : iso.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Integer integer(String s) {
        if (s == null || !s.strip().matches("\\d{1,3}")) {
            return null;
        }
        return Integer.valueOf(s.strip());
    }

    private static LocalDate orDefault(LocalDate d, LocalDate fallback) {
        return d != null ? d : fallback;
    }
}
