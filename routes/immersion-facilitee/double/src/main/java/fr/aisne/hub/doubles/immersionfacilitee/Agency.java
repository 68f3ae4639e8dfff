package fr.aisne.hub.doubles.immersionfacilitee;

import java.util.List;

/**
 * A prescriber agency as the convention read shows it ({@code agencyName}, {@code agencyKind}...). {@code refersTo}
 * is the agency whose validators validate for this one (a "structure d'accompagnement" refers to a prescriber): in
 * the platform it belongs to the agency, so every convention of such an agency carries {@code agencyRefersTo}.
 *
 * Names, SIRETs (Luhn-valid, SIREN 999...) and e-mail addresses are synthetic.
 *
 * @param alias short name used by the settings and the control API ({@code cd02}, {@code ft-laon}...)
 * @param validationSteps {@code validator-only} or {@code counsellor-and-validator}
 */
record Agency(String alias, String id, String name, String kind, String department, String siret,
        String contactEmail, String validationSteps, String refersTo) {

    static final Agency CD02 = new Agency("cd02", "02a15e00-0000-4000-8000-000000000002",
            "Conseil départemental de l'Aisne - Direction de l'insertion", "conseil-departemental", "02",
            "99902000100015", "insertion-pmsmp@aisne.example.fr", "counsellor-and-validator", null);
    static final Agency FT_LAON = new Agency("ft-laon", "02a15e00-0000-4000-8000-000000000021",
            "France Travail Laon", "pole-emploi", "02", "99902000200021", "ape.laon@francetravail.example.fr",
            "validator-only", null);
    static final Agency FT_SAINT_QUENTIN = new Agency("ft-saint-quentin", "02a15e00-0000-4000-8000-000000000022",
            "France Travail Saint-Quentin - accompagnement global RSA", "pole-emploi", "02", "99902000200039",
            "ape.saint-quentin@francetravail.example.fr", "validator-only", CD02.id());
    static final Agency CD80 = new Agency("cd80", "08a15e00-0000-4000-8000-000000000080",
            "Conseil départemental de la Somme - Insertion", "conseil-departemental", "80", "99980000100011",
            "insertion@somme.example.fr", "validator-only", null);
    static final Agency FT_AMIENS = new Agency("ft-amiens", "08a15e00-0000-4000-8000-000000000081",
            "France Travail Amiens Nord", "pole-emploi", "80", "99980000200027", "ape.amiens@francetravail.example.fr",
            "validator-only", null);

    /** The fixture agencies; see the README for what each one is for. */
    static final List<Agency> ALL = List.of(CD02, FT_LAON, FT_SAINT_QUENTIN, CD80, FT_AMIENS);

    /** The agency named by its alias or its id, or null. */
    static Agency find(String aliasOrId) {
        for (Agency a : ALL) {
            if (a.alias.equals(aliasOrId) || a.id.equals(aliasOrId)) {
                return a;
            }
        }
        return null;
    }

    /** The agency this one refers to, or null. */
    Agency referred() {
        return refersTo == null ? null : find(refersTo);
    }
}
