package fr.aisne.hub.departement.internal;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.api.operations.Registration;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The department's follow-up (issue 19): worklists and indicators on the hub's listener, computed from the
 * registry's department events and retained values. Dates are the department's (Europe/Paris).
 */
@Component(immediate = true, service = {})
public class DepartementComponent {
    private static final Logger LOG = LoggerFactory.getLogger(DepartementComponent.class);
    static final ZoneId ZONE = ZoneId.of("Europe/Paris");

    @Reference
    private HubOperations hub;

    @Reference
    private PersonRegistry registry;

    @Reference
    private DepartmentEvents events;

    private Registration routes;

    @Activate
    void activate() throws Exception {
        Clock clock = Clock.system(ZONE);
        routes = hub.addRoutes(List.of(new FollowUpRoutes(hub.http(), registry,
                new FollowUpSource(events, registry, ZONE), clock)));
        LOG.info("Department follow-up started: GET /hub/api/departement/suivi/{orientation,contrat,heures}, "
                + "GET /hub/api/departement/indicateurs");
    }

    @Deactivate
    void deactivate() {
        if (routes != null) {
            routes.remove();
        }
    }
}
