package fr.aisne.hub.fuzz;

import java.time.Clock;

import org.apache.derby.jdbc.EmbeddedDataSource;

import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.SchemaMigrations;
import fr.aisne.hub.connector.echo.EchoConnector;
import fr.aisne.hub.connector.echo.EchoFuzzBridge;

/** The echo connector's in-process note handler, on its real table in an in-memory Derby database. */
public final class EchoTargets {
    /** Notes kept before the table is emptied (the heap stays flat). */
    private static final int KEEP = 2_000;

    private EchoTargets() {
    }

    static FuzzTarget noteHandler() {
        return FuzzTarget.named("echo.note", "echo NoteHandler: a note {subject, text} into echo_note (DeliveryFailure)")
                .deliveryHandler(() -> {
                    System.setProperty("derby.stream.error.field", EchoTargets.class.getName() + ".DERBY_LOG");
                    EmbeddedDataSource ds = new EmbeddedDataSource();
                    ds.setDatabaseName("memory:fuzz-echo");
                    ds.setCreateDatabase("create");
                    ModuleDatabase db = SchemaMigrations.database(ds);
                    db.migrate("echo", EchoConnector.class.getClassLoader(), "db/echo/V1__echo.sql");
                    DeliveryHandler h = EchoFuzzBridge.noteHandler(db.jdbc(), Clock.systemUTC());
                    int[] n = {0};
                    return d -> {
                        if (++n[0] % KEEP == 0) {
                            db.jdbc().update("DELETE FROM echo_note");
                        }
                        return h.deliver(d);
                    };
                });
    }

    /** Derby's own log goes nowhere (Derby reads this field: the class is public for that). */
    public static final java.io.OutputStream DERBY_LOG = java.io.OutputStream.nullOutputStream();
}
