package fr.aisne.hub.connector.immersionfacilitee.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import fr.aisne.hub.connector.immersionfacilitee.internal.ImmersionOperations;

/**
 * {@code hub:immersion-reconcile [--nightly] [conventionId]}: a reconciliation now (recent windows, or the nightly
 * months), or one convention read again; without anything, the status.
 */
@Command(scope = "hub", name = "immersion-reconcile",
        description = "Reconciliation with Immersion Facilitée now (recent windows, --nightly for the months), or one convention read again")
@Service
public class ReconcileCommand implements Action {
    @Reference
    ImmersionOperations operations;

    @Option(name = "--nightly", description = "walk the nightly months instead of the recent windows")
    boolean nightly;

    @Option(name = "--status", description = "only show the status")
    boolean status;

    @Argument(index = 0, name = "conventionId", required = false, description = "a convention to read again")
    String conventionId;

    @Override
    public Object execute() throws Exception {
        if (status) {
            System.out.println(operations.status());
        } else if (conventionId != null) {
            System.out.println(operations.reread(conventionId));
        } else {
            System.out.println(operations.reconcile(nightly));
        }
        return null;
    }
}
