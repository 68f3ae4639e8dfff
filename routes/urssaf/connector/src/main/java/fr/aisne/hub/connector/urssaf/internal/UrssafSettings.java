package fr.aisne.hub.connector.urssaf.internal;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.api.SettingsException;
import fr.aisne.hub.connector.urssaf.internal.Computation.Basis;

/** The connector's settings (etc/hub.connector.urssaf.cfg), read once and checked. */
public record UrssafSettings(List<Tariff> tariffs, Basis basis, String declarantSiret, ZoneId zone, int lookbackMonths,
        URI payrollUrl, String payrollUsername, String payrollPassword, Duration connectTimeout, Duration requestTimeout,
        RetryPolicy retry, List<String> accidentSenders, Duration accidentWarning, long maxPayloadBytes) {
    public static final String PID = "hub.connector.urssaf";
    public static final String FILE = "etc/" + PID + ".cfg";
    private static final Pattern SIRET = Pattern.compile("[0-9]{14}");

    public static UrssafSettings from(Map<String, ?> config, Secrets secrets) {
        Settings s = Settings.of(config, FILE);
        List<Tariff> tariffs = Tariff.parse(s.list("tariffs", "2022-01-01:0.04:999"), FILE, "tariffs");
        String siret = s.required("declarant.siret", "write the department's SIRET (14 digits)");
        if (!SIRET.matcher(siret).matches()) {
            throw new SettingsException(FILE, "declarant.siret", "is not 14 digits", "write the department's SIRET");
        }
        return new UrssafSettings(tariffs, s.choice("basis", Basis.class, Basis.PLANNED), siret,
                s.zone("zone", "Europe/Paris"), s.integer("adjust.lookbackMonths", 24, 1, 120),
                s.url("payroll.url", "http://127.0.0.1:8787/paie/atmp/v1"), s.string("payroll.username", "hub-aisne"),
                s.secret("payroll.password", secrets), s.millis("http.connectTimeoutMs", 5000, 100, 120_000),
                s.millis("http.requestTimeoutMs", 30_000, 100, 600_000),
                s.retry(new RetryPolicy(20, 5000, 2.0, 600_000)), s.list("accidents.senders.roles", "departement,admin"),
                Duration.ofHours(s.integer("accidents.warningHours", 12, 1, 47)),
                s.maxPayloadBytes(65_536));
    }

    /** What operators see (never the password). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tariffs", String.join(", ", tariffs.stream().map(t -> t.from() + ":" + t.ratePerHour().toPlainString() + ":"
                + t.ctp()).toList()));
        m.put("basis", basis.name().toLowerCase());
        m.put("declarant.siret", declarantSiret);
        m.put("zone", zone.getId());
        m.put("adjust.lookbackMonths", String.valueOf(lookbackMonths));
        m.put("payroll.url", payrollUrl.toString());
        m.put("payroll.username", payrollUsername);
        m.put("payroll.password", payrollPassword == null || payrollPassword.isEmpty() ? "(absent)" : "(set)");
        m.put("accidents.warningHours", String.valueOf(accidentWarning.toHours()));
        return m;
    }
}
