package fr.aisne.hub.ops.shell;

import java.security.AccessController;
import java.security.Principal;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.HubOperations;


@Command(scope = "hub", name = "replay", description = "Replays a QUARANTINED or FAILED message")
@Service
public class ReplayCommand implements Action {
    @Reference
    HubOperations hub;

    @Argument(index = 0, name = "id", required = true, description = "message id")
    String id;

    @Override
    @SuppressWarnings("removal")
    public Object execute() {
        String actor = "shell";
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject != null) {
            for (Principal p : subject.getPrincipals(UserPrincipal.class)) {
                actor = "shell:" + p.getName();
            }
        }
        try {
            ExchangeRecord r = hub.replay(id, actor);
            System.out.println("Message " + r.id() + " replayed: now " + r.state());
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("Cannot replay: " + e.getMessage());
        }
        return null;
    }
}
