package fr.aisne.hub.api;

import javax.sql.DataSource;

/**
 * A connector's (or platform module's) tables in the hub's database (embedded Derby by default; PostgreSQL by
 * configuration): numbered SQL scripts applied once each, and one small JDBC helper.
 */
public interface ModuleDatabase {

    DataSource dataSource();

    /** The JDBC helper on this database (transactions per thread, errors without values). */
    Jdbc jdbc();

    /**
     * Applies the module's scripts not applied yet, in order (script i is version i), recorded in
     * {@code hub_schema_history}. Statements end with ';' at the end of a line.
     */
    void migrate(String module, ClassLoader loader, String... scripts);
}
