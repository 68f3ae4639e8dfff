package fr.aisne.hub.ops.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.api.operations.StateChange;
import org.apache.karaf.shell.support.table.ShellTable;

import fr.aisne.hub.ops.OpsViews;

@Command(scope = "hub", name = "messages", description = "Searches the message journal, newest first, or shows one message with its history")
@Service
public class MessagesCommand implements Action {
    @Reference
    HubOperations hub;

    @Option(name = "--partner", description = "partner id, e.g. caf")
    String partner;

    @Option(name = "--state", description = "RECEIVED, VALIDATED, QUEUED, HELD, DELIVERED, IGNORED, FAILED, QUARANTINED, REPLAYED, DUPLICATE, REFUSED")
    String state;

    @Option(name = "--flow", description = "flow name, e.g. flux-rsa")
    String flow;

    @Option(name = "--text", description = "a correlation id, partner message id or exchange id (a CAF file name...)")
    String text;

    @Option(name = "--correlation-id", description = "correlation id")
    String correlationId;

    @Option(name = "--from", description = "ISO-8601 instant, inclusive")
    String from;

    @Option(name = "--to", description = "ISO-8601 instant, exclusive")
    String to;

    @Option(name = "--limit", description = "at most this many (default 100)")
    String limit;

    @Option(name = "--id", description = "show this message and its state history")
    String id;

    @Override
    public Object execute() {
        if (id != null) {
            ExchangeRecord r = hub.find(id).orElse(null);
            if (r == null) {
                System.err.println("No message " + id);
                return null;
            }
            OpsViews.summary(r).forEach((k, v) -> System.out.println(k + ": " + (v == null ? "" : v)));
            System.out.println("history:");
            for (StateChange c : r.history()) {
                System.out.println("  " + c.seq() + " " + c.at() + " " + c.state() + (c.actor() == null ? "" : " by " + c.actor())
                        + (c.reason() == null ? "" : " - " + c.reason()));
            }
            return null;
        }
        ShellTable table = new ShellTable();
        for (String col : new String[] {"Id", "Created", "Partner", "Flow", "Dir", "State", "Size", "Attempts", "Reason"}) {
            table.column(col);
        }
        for (ExchangeRecord r : hub.search(OpsViews.query(partner, flow, state, correlationId, text, from, to, limit))) {
            table.addRow().addContent(r.id(), r.createdAt(), r.partner(), r.flow(), r.direction(), r.state(), r.size(),
                    r.attempts(), r.lastReason() == null ? "" : r.lastReason());
        }
        table.print(System.out);
        return null;
    }
}
