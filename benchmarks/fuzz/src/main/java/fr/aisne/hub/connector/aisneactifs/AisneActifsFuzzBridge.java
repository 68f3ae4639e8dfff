package fr.aisne.hub.connector.aisneactifs;

import java.util.ArrayList;
import java.util.List;

import fr.aisne.hub.api.PayloadValidator;

/**
 * Opens the Aisne-actifs.com connector's package-private validators to the fuzzer. Lives in benchmarks/fuzz only
 * (same package name on a plain class path); the connector's bundle knows nothing of it.
 */
public final class AisneActifsFuzzBridge {
    private AisneActifsFuzzBridge() {
    }

    /** The intake validator of each decision's flow (contract v1), in the order of {@link Decision}. */
    public static List<PayloadValidator> decisionValidators() {
        DecisionSchemas schemas = new DecisionSchemas();
        List<PayloadValidator> out = new ArrayList<>();
        for (Decision d : Decision.values()) {
            out.add(schemas.validator(d));
        }
        return out;
    }
}
