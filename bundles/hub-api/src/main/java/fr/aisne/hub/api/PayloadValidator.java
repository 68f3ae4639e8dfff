package fr.aisne.hub.api;

import java.io.IOException;
import java.io.InputStream;

/** Checks a payload before it is queued. Implementations must stream and must not trust the input. */
@FunctionalInterface
public interface PayloadValidator {

    /**
     * @throws ValidationException with the rule broken and, where known, the line and column; never the value
     */
    void validate(InputStream payload) throws ValidationException, IOException;
}
