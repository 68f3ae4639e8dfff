package fr.aisne.hub.registry;

import java.util.Objects;

/**
 * Who reads personal data, and how: every read through the registry is logged with it (the access log, table
 * {@code reg_disclosure}, columns {@code accessed_by} and {@code access_kind}), so that each read is traceable
 * to an account. See docs/REGISTRY.md.
 *
 * @param account the authenticated account ({@code fr.aisne.hub.api.Caller#name()}), or {@link #SYSTEM} for
 *                the hub's own automatic disclosures to partners
 * @param kind    how the data was read: {@link #READ}, {@link #LOOKUP_NIR}...
 */
public record Access(String account, String kind) {
    /** The account of the hub's automatic disclosures (a flow sending a partner what its rules allow). */
    public static final String SYSTEM = "system";
    /** What the rows written before the access log existed say of their reader and kind. */
    public static final String BEFORE_V2 = "unknown (before v2)";

    /** A consolidated record read by its id. */
    public static final String READ = "read";
    public static final String LOOKUP_NIR = "lookup-nir";
    public static final String LOOKUP_CAF = "lookup-caf-matricule";
    public static final String LOOKUP_FRANCE_TRAVAIL = "lookup-france-travail";
    /** The RGPD art. 15 export (NIR in clear). */
    public static final String SUBJECT_ACCESS = "subject-access";
    /** The probable matches listed for an operator. */
    public static final String MATCH_REVIEW = "match-review";
    public static final String MATCH_DECISION = "match-decision";
    /** The department's event feed. */
    public static final String EVENTS = "events";
    /** The access log itself, read by the DPO. */
    public static final String ACCESS_LOG = "access-log";
    /** An automatic disclosure to a partner. */
    public static final String DISCLOSURE = "disclosure";

    private static final int MAX_ACCOUNT = 100;

    public Access {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(kind, "kind");
        if (account.isBlank()) {
            throw new IllegalArgumentException("an access needs the account that reads");
        }
        if (!kind.matches("[a-z][a-z0-9-]{0,39}")) {
            throw new IllegalArgumentException("access kind must be a lower-case word (read, lookup-nir...)");
        }
        account = account.length() > MAX_ACCOUNT ? account.substring(0, MAX_ACCOUNT) : account;
    }

    /** The hub itself, disclosing to a partner from one of its flows. */
    public static Access system() {
        return new Access(SYSTEM, DISCLOSURE);
    }
}
