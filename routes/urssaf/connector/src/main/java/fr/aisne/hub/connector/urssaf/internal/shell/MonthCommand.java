package fr.aisne.hub.connector.urssaf.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import fr.aisne.hub.connector.urssaf.internal.Months;
import fr.aisne.hub.connector.urssaf.internal.UrssafOperations;

/**
 * {@code hub:urssaf-month [YYYY-MM]}: the month's AT/MP hours and amount (the current month by default);
 * {@code hub:urssaf-month --close YYYY-MM}: closes it (its declaration then leaves for the payroll service).
 */
@Command(scope = "hub", name = "urssaf-month",
        description = "AT/MP contribution for PMSMP hours: a month's hours and amount, or --close to close it")
@Service
public class MonthCommand implements Action {
    @Reference
    UrssafOperations operations;

    @Reference(optional = true)
    Session session;

    @Option(name = "--close", description = "close the month (in order; once ended; no employee waiting for a decision)")
    boolean close;

    @Argument(index = 0, name = "month", required = false, description = "YYYY-MM (default: the current month)")
    String month;

    @Override
    public Object execute() {
        try {
            if (close) {
                if (month == null) {
                    System.err.println("--close needs the month (YYYY-MM)");
                    return null;
                }
                Object user = session == null ? null : session.get("USER");
                System.out.println(operations.close(month, "shell:" + (user == null ? "karaf" : user)));
            } else {
                System.out.println(operations.month(month));
            }
        } catch (Months.Refused e) {
            System.err.println("Refusé : " + e.getMessage());
        } catch (java.time.format.DateTimeParseException e) {
            System.err.println("Mois au format AAAA-MM attendu");
        }
        return null;
    }
}
