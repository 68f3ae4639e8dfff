package fr.aisne.hub.connector.badexample;

import fr.aisne.hub.core.journal.Journal;

/**
 * NOT a connector: a fixture for ArchitectureTest, breaking the rule on purpose (a connector reaching into
 * hub-core's journal), to show the rule catches it. Test code, never packaged.
 */
public final class UsesCoreInternals {
    private UsesCoreInternals() {
    }

    static String journalName(Journal journal) {
        return journal.getClass().getName();
    }
}
