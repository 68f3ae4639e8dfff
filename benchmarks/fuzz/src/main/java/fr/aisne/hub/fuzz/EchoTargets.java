package fr.aisne.hub.fuzz;

import java.time.Clock;

import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.ModuleDatabase;
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
                    ModuleDatabase db = Derby.migrated("fuzz-echo", "echo", EchoConnector.class, "db/echo/V1__echo.sql");
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
}
