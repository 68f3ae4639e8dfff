package fr.aisne.hub.core.spi;

import java.io.IOException;
import java.io.InputStream;

/** Checks a payload before it is queued. Implementations must stream and must not trust the input. */
@FunctionalInterface
public interface PayloadValidator {

    PayloadValidator ACCEPT_ALL = in -> { };

    /**
     * @throws ValidationException with the rule broken and, where known, the line and column
     */
    void validate(InputStream payload) throws ValidationException, IOException;
}
