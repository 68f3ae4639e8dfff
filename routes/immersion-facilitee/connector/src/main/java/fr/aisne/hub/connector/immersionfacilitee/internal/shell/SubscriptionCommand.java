package fr.aisne.hub.connector.immersionfacilitee.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import fr.aisne.hub.connector.immersionfacilitee.internal.ImmersionOperations;

/** {@code hub:immersion-subscription [--rotate]}: checks and repairs the webhook subscription at Immersion Facilitée. */
@Command(scope = "hub", name = "immersion-subscription",
        description = "Makes sure exactly one convention.updated subscription calls the hub (with --rotate: with a new secret)")
@Service
public class SubscriptionCommand implements Action {
    @Reference
    ImmersionOperations operations;

    @Option(name = "--rotate", description = "subscribe again with a newly generated secret, then delete the old subscription")
    boolean rotate;

    @Override
    public Object execute() throws Exception {
        System.out.println(operations.subscription(rotate));
        return null;
    }
}
