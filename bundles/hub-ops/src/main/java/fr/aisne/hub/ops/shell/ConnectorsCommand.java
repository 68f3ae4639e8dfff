package fr.aisne.hub.ops.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import fr.aisne.hub.api.operations.ConnectorInfo;
import fr.aisne.hub.api.operations.HubOperations;
import org.apache.karaf.shell.support.table.ShellTable;


@Command(scope = "hub", name = "connectors", description = "Lists the installed connectors, their flows and health")
@Service
public class ConnectorsCommand implements Action {
    @Reference
    HubOperations hub;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Connector");
        table.column("Status");
        table.column("Flows");
        table.column("Routes");
        table.column("Detail");
        table.column("Version");
        for (ConnectorInfo c : hub.connectors()) {
            table.addRow().addContent(c.id(), c.health().status(),
                    String.join(",", c.flows().stream().map(ConnectorInfo.FlowInfo::key).toList()),
                    String.join(",", c.routes()), c.health().detail(), c.version());
        }
        table.print(System.out);
        return null;
    }
}
