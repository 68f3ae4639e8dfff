package fr.aisne.hub.connector.ouiform.internal;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.api.SettingsException;

/**
 * The connector's settings (etc/hub.connector.ouiform.cfg), read and checked once: a wrong value is a
 * {@link SettingsException} naming the key and the fix, and the connector shows DOWN with it.
 *
 * @param channel         binding used towards OuiForm: SOAP or REST
 * @param soapUrl         OuiForm's SOAP endpoint (port OuiFormPrescriptionsPort)
 * @param restUrl         base of OuiForm's REST side ({@code /v1/prescriptions} is appended)
 * @param username        the hub's account at OuiForm (HTTP Basic), or null with a token
 * @param password        its password (clear after {@code ENC(...)} is opened), or null
 * @param token           a bearer token instead, or null
 * @param soapHost        where the hub's own SOAP endpoint listens (loopback; a TLS proxy fronts it in production)
 * @param soapPort        its port
 * @param regionRoles     roles of the Région's account at the hub (publierSessions, notifierStatut)
 * @param senderRoles     roles allowed to post prescriptions
 * @param readerRoles     roles allowed to search the catalogue and read prescriptions
 */
record OuiFormSettings(Canal channel, URI soapUrl, URI restUrl, String username, String password, String token,
        Duration connectTimeout, Duration requestTimeout, String soapHost, int soapPort, String[] regionRoles,
        String[] senderRoles, String[] readerRoles, String prescripteurSiret, String prescripteurLibelle,
        String purpose, Path inbox, int inboxStableSeconds, long catalogueMaxBytes, long statutMaxBytes,
        long prescriptionMaxBytes, int concurrency, RetryPolicy retry, PartnerLimits limits) {

    static final String PID = "hub.connector.ouiform";
    static final String FILE = "etc/hub.connector.ouiform.cfg";
    private static final Pattern SIRET = Pattern.compile("[0-9]{14}");
    private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z0-9-]*");

    /** The binding of the contract used to reach OuiForm. */
    enum Canal {
        SOAP, REST
    }

    /** Retries sized so that an outage of OuiForm of an hour loses nothing: 5 s doubling up to 5 min, 30 attempts. */
    static final RetryPolicy DEFAULT_RETRY = new RetryPolicy(30, 5_000, 2.0, 300_000);
    static final PartnerLimits DEFAULT_LIMITS = new PartnerLimits(5, 4, 5, Duration.ofSeconds(30));

    static OuiFormSettings from(Map<String, ?> config, Secrets secrets) {
        Settings s = Settings.of(config, FILE);
        Canal channel = s.choice("ouiform.channel", Canal.class, Canal.SOAP);
        URI soap = s.url("ouiform.soap.url", "http://127.0.0.1:8686/ouiform/soap/v1");
        URI rest = s.url("ouiform.rest.url", "http://127.0.0.1:8686/ouiform/api");
        String username = s.string("ouiform.username", "aisne-hub");
        String password = s.secret("ouiform.password", secrets);
        String token = s.secret("ouiform.token", secrets);
        String siret = s.string("prescripteur.siret", null);
        if (siret != null && !SIRET.matcher(siret).matches()) {
            throw new SettingsException(FILE, "prescripteur.siret", "is not a SIRET",
                    "write the 14 digits of the prescribing structure's SIRET (the department's)");
        }
        String purpose = s.string("disclosure.purpose", "prescription");
        if (!PURPOSE.matcher(purpose).matches()) {
            throw new SettingsException(FILE, "disclosure.purpose", "is not a purpose name",
                    "write the purpose of the rule disclose.ouiform.<purpose> (lower case, digits, hyphens)");
        }
        String host = s.string("soap.host", "127.0.0.1");
        Path data = Paths.get(System.getProperty("karaf.data", "data"));
        return new OuiFormSettings(channel, soap, rest, username, password, token,
                s.millis("http.connectTimeoutMs", 5_000, 100, 120_000),
                s.millis("http.requestTimeoutMs", 30_000, 100, 600_000), host, s.integer("soap.port", 8187, 1, 65_535),
                roles(s, "region.roles", "sender-ouiform"), roles(s, "senders.roles", "departement,hub-sender,admin"),
                roles(s, "readers.roles", "departement,viewer,manager,admin"), siret,
                s.string("prescripteur.libelle", "Département de l'Aisne"), purpose,
                data.resolve(s.string("catalogue.inbox", "inbox/ouiform")), s.integer("catalogue.stableSeconds", 2, 0, 3600),
                s.longValue("catalogue.maxPayloadBytes", 256L << 20, 1024, 8L << 30),
                s.longValue("statuts.maxPayloadBytes", 64 << 10, 1024, 1 << 20),
                s.maxPayloadBytes(64 << 10), s.integer("delivery.concurrency", 2, 1, 16), s.retry(DEFAULT_RETRY),
                s.partnerLimits(DEFAULT_LIMITS));
    }

    private static String[] roles(Settings s, String key, String defaults) {
        return s.list(key, defaults).toArray(String[]::new);
    }

    /** The SOAP endpoint's address the Région calls (behind the TLS proxy in production). */
    String soapAddress() {
        return "http://" + soapHost + ":" + soapPort + HubSoapEndpoint.PATH;
    }

    /** Shown to operators: never a secret. */
    Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ouiform.channel", channel.name().toLowerCase(java.util.Locale.ROOT));
        m.put("ouiform.soap.url", soapUrl.toString());
        m.put("ouiform.rest.url", restUrl.toString());
        m.put("ouiform.username", username == null ? "" : username);
        m.put("ouiform.credentials", password != null ? "password set" : token != null ? "token set" : "none");
        m.put("hub SOAP endpoint", soapAddress());
        m.put("region.roles", String.join(",", regionRoles));
        m.put("senders.roles", String.join(",", senderRoles));
        m.put("readers.roles", String.join(",", readerRoles));
        m.put("prescripteur.siret", prescripteurSiret == null ? "(none: each prescription gives it)" : prescripteurSiret);
        m.put("disclosure", "disclose.ouiform." + purpose);
        m.put("catalogue.inbox", inbox.toString());
        m.put("retry", retry.toString());
        m.put("partner", limits.toString());
        return m;
    }
}
