package fr.aisne.hub.ops.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import fr.aisne.hub.core.Hub;

@Command(scope = "hub", name = "connectors", description = "Lists the installed connectors, their flows and health")
@Service
public class ConnectorsCommand implements Action {
    @Reference
    Hub hub;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Connector");
        table.column("Status");
        table.column("Flows");
        table.column("Routes");
        table.column("Detail");
        for (Hub.ConnectorInfo c : hub.connectors()) {
            table.addRow().addContent(c.id(), c.health().status(), String.join(",", c.flows()),
                    String.join(",", c.routes()), c.health().detail());
        }
        table.print(System.out);
        return null;
    }
}
