package fr.aisne.hub.console;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.api.operations.Registration;

/** Adds the console's route to the hub's CamelContext while this bundle runs. */
@Component(immediate = true, service = {})
public class Console {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    @Reference
    private HubOperations hub;

    private Registration routes;

    @Activate
    void activate() throws Exception {
        routes = hub.addRoutes(List.of(new ConsoleRoutes(hub.http(), new ConsoleAssets(Console.class.getClassLoader()))));
        LOG.info("Operator console on {}/console/", hub.http().baseUrl());
    }

    @Deactivate
    void deactivate() {
        if (routes != null) {
            routes.remove();
        }
    }
}
