package fr.aisne.hub.registry.internal;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.api.operations.Registration;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Starts the registry: its schema, its NIR vault (etc/hub-registry.p12), its rules (etc/hub.registry.cfg,
 * etc/hub.disclosure.cfg), the PersonRegistry and DepartmentEvents services and the department API.
 * A change of either settings file re-creates it with the new rules.
 */
@Component(immediate = true, configurationPid = {"hub.registry", "hub.disclosure"}, service = {})
public class RegistryComponent {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryComponent.class);

    @Reference
    private HubOperations hub;

    @Reference(target = "(hub.datasource=main)")
    private DataSource dataSource;

    private ServiceRegistration<PersonRegistry> registration;
    private ServiceRegistration<DepartmentEvents> eventsRegistration;
    private Registration routes;

    @Activate
    void activate(BundleContext context, Map<String, Object> config) throws Exception {
        PersonRegistry service = RegistryFactory.create(dataSource, Paths.get(System.getProperty("karaf.etc", "etc")),
                config, hub::purgePayload);
        DepartmentEvents events = RegistryFactory.events(dataSource);
        Settings settings = Settings.of(config, "etc/hub.registry.cfg");
        routes = hub.addRoutes(List.of(new RegistryRoutes(hub.http(), service, events,
                settings.integer("retention.periodHours", 24, 1, 24 * 365), hub::connectorApis)));
        registration = context.registerService(PersonRegistry.class, service, null);
        eventsRegistration = context.registerService(DepartmentEvents.class, events, null);
        LOG.info("Registry started: retention {} months, default authority {}",
                settings.integer("retention.months", 24, 1, 1200), settings.string("authority.default", "caf"));
    }

    @Deactivate
    void deactivate() {
        if (eventsRegistration != null) {
            eventsRegistration.unregister();
        }
        if (registration != null) {
            registration.unregister();
        }
        if (routes != null) {
            routes.remove();
        }
    }

}
