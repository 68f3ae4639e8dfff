package fr.aisne.hub.registry.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.SchemaMigrations;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Builds a registry from its settings (etc/hub.registry.cfg and etc/hub.disclosure.cfg merged): used by the
 * OSGi component, and by the benchmarks outside OSGi.
 */
public final class RegistryFactory {
    /** The registry's schema, in order (script i is version i). */
    static final String[] SCRIPTS = {"db/registry/V1__registry.sql", "db/registry/V2__department_events.sql",
        "db/registry/V3__bulk_lookup_indexes.sql", "db/registry/V4__access_log.sql"};
    /** How long the access log keeps the reads by accounts (etc/hub.registry.cfg). */
    static final String ACCESS_LOG_MONTHS = "accessLog.retentionMonths";

    private RegistryFactory() {
    }

    /**
     * @param etc          where the NIR keystore lives (created on first use)
     * @param purgePayload called with each journal exchange whose payload retention deletes
     */
    public static PersonRegistry create(DataSource dataSource, Path etc, Map<String, ?> config,
            Consumer<String> purgePayload) throws IOException, GeneralSecurityException {
        return service(dataSource, etc, config, purgePayload);
    }

    /** The schema migrated, the NIRs of earlier versions re-sealed bound to their rows, and the registry. */
    static RegistryService service(DataSource dataSource, Path etc, Map<String, ?> config,
            Consumer<String> purgePayload) throws IOException, GeneralSecurityException {
        SchemaMigrations.apply(dataSource, "registry", RegistryFactory.class.getClassLoader(), SCRIPTS);
        Map<String, String> authority = new LinkedHashMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith("authority.") && !k.equals("authority.default")) {
                authority.put(k.substring("authority.".length()), String.valueOf(v).trim());
            }
        });
        Settings settings = Settings.of(config, "etc/hub.registry.cfg");
        NirVault vault = NirVault.open(etc);
        NirResealing.run(new Jdbc(dataSource), vault);
        return new RegistryService(dataSource, vault,
                new Consolidation(authority, settings.string("authority.default", "caf")),
                DisclosureRules.from(config), settings.integer("retention.months", 24, 1, 1200),
                settings.integer(ACCESS_LOG_MONTHS, 12, 1, 1200), Clock.systemUTC(), purgePayload);
    }

    /** The department's event feed, on the same database (call after {@link #create}, which migrates it). */
    public static DepartmentEvents events(DataSource dataSource) {
        return new DepartmentEventStore(dataSource, Clock.systemUTC());
    }
}
