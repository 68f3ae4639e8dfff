package fr.aisne.hub.connector.urssaf.internal;

/** What the shell commands ask of the running connector (an OSGi service registered while it runs). */
public interface UrssafOperations {

    /** The month's hours and amount (the current month when blank), one line per declaration line. */
    String month(String month);

    /** Closes the month; a refusal is a {@link Months.Refused} with the reason. */
    String close(String month, String operator);
}
