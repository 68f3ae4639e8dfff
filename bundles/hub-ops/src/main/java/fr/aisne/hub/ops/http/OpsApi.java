package fr.aisne.hub.ops.http;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.api.operations.Registration;

/** Adds the operations API routes to the hub's CamelContext, and removes them when this bundle stops. */
@Component(immediate = true, service = {})
public class OpsApi {
    private static final Logger LOG = LoggerFactory.getLogger(OpsApi.class);

    @Reference
    private HubOperations hub;

    private Registration routes;

    @Activate
    void activate() throws Exception {
        routes = hub.addRoutes(List.of(new OpsApiRoutes(hub)));
        LOG.info("Operations API on {}/ (health, metrics, api/connectors, api/messages)", hub.http().baseUrl());
    }

    @Deactivate
    void deactivate() {
        if (routes != null) {
            routes.remove();
        }
    }
}
