package fr.aisne.hub.registry.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;

import org.junit.Test;

/** Which failures of a person's purge are tried once more: a lost connection only, never a refused statement. */
public class ConnectionLostTest {

    @Test
    public void aLostConnectionAnywhereInTheChainIsRetriedARefusedStatementIsNot() {
        RuntimeException lost = new RuntimeException("statement failed [COMMIT]",
                new SQLNonTransientConnectionException("No current connection.", "08003"));
        assertTrue(RegistryService.connectionLost(lost));
        RuntimeException refused = new RuntimeException("statement failed [DELETE FROM reg_membership]",
                new SQLException("The check constraint was violated", "23513"));
        assertFalse(RegistryService.connectionLost(refused));
        assertFalse(RegistryService.connectionLost(new IllegalStateException("no SQL at all")));
    }
}
