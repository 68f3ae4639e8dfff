package fr.aisne.hub.connector.badexample;

import fr.aisne.hub.departement.internal.DepartementComponent;

/**
 * NOT a connector: a fixture for ArchitectureTest, breaking the rule on purpose (a connector reaching into a hub
 * module that no deny-list named: the department's follow-up), to show the allow-list catches it. Test code, never
 * packaged.
 */
public final class UsesAnotherModule {
    private UsesAnotherModule() {
    }

    static String componentName(DepartementComponent component) {
        return component.getClass().getName();
    }
}
