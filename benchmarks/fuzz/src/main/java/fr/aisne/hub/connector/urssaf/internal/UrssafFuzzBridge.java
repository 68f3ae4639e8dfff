package fr.aisne.hub.connector.urssaf.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;

import fr.aisne.hub.api.PayloadValidator;

/**
 * Opens the URSSAF connector's package-private parsers to the fuzzer. Lives in benchmarks/fuzz only (same package
 * name on a plain class path); the connector's bundle knows nothing of it.
 */
public final class UrssafFuzzBridge {
    private UrssafFuzzBridge() {
    }

    /** The department's accident declaration (flow departement/accidents-pmsmp): its intake validator. */
    public static PayloadValidator accidentValidator(Clock clock) {
        return new Accidents(null, () -> null, ZoneId.of("Europe/Paris"), clock);
    }

    /** {@code deposerDeclaration} of a small envelope through the real client over {@code http}: the deposit number. */
    public static Callable<String> deposit(HttpClient http) {
        PayrollClient c = new PayrollClient(URI.create("http://127.0.0.1:9/paie/atmp/v1"), "aisne-hub", "fuzz-password",
                Duration.ofSeconds(5), http);
        String envelope = "<soapenv:Envelope xmlns:soapenv=\"" + PayrollClient.SOAP_NS + "\"><soapenv:Body/></soapenv:Envelope>";
        return () -> {
            PayrollClient.Acknowledgement a = c.deposit(envelope);
            return a.depositNumber() + " " + a.receivedAt();
        };
    }
}
