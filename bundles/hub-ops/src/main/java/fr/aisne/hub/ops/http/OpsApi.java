package fr.aisne.hub.ops.http;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.operations.AccessLog;
import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.api.operations.Registration;

/**
 * Adds the operations API routes to the hub's CamelContext, and removes them when this bundle stops. Payload reads
 * are recorded in the {@link AccessLog} (the registry's): while it is absent, payloads are not shown.
 */
@Component(immediate = true, service = {})
public class OpsApi {
    private static final Logger LOG = LoggerFactory.getLogger(OpsApi.class);

    @Reference
    private HubOperations hub;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessLog accessLog;

    private Registration routes;

    @Activate
    void activate() throws Exception {
        routes = hub.addRoutes(List.of(new OpsApiRoutes(hub, () -> Optional.ofNullable(accessLog))));
        LOG.info("Operations API on {}/ (health, metrics, api/connectors, api/messages)", hub.http().baseUrl());
    }

    @Deactivate
    void deactivate() {
        if (routes != null) {
            routes.remove();
        }
    }
}
