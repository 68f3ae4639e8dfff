package fr.aisne.hub.fuzz;

import org.apache.derby.jdbc.EmbeddedDataSource;

import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.SchemaMigrations;

/** A connector's real tables in an in-memory Derby database, as the hub migrates them (delivery handler targets). */
public final class Derby {
    private Derby() {
    }

    /** The database {@code memory:<name>}, with the connector's migration {@code script} applied. */
    static ModuleDatabase migrated(String name, String connector, Class<?> loaderOf, String script) {
        System.setProperty("derby.stream.error.field", Derby.class.getName() + ".LOG");
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:" + name);
        ds.setCreateDatabase("create");
        ModuleDatabase db = SchemaMigrations.database(ds);
        db.migrate(connector, loaderOf.getClassLoader(), script);
        return db;
    }

    /** Derby's own log goes nowhere (Derby reads this field: the class is public for that). */
    public static final java.io.OutputStream LOG = java.io.OutputStream.nullOutputStream();
}
