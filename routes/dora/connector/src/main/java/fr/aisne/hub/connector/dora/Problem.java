package fr.aisne.hub.connector.dora;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One broken rule: where ({@code field}: an item's top-level field, or a path in the department's offer such as
 * {@code actions[2].publics}), which rule ({@code schema:<keyword>} for the JSON Schema, or a named rule such as
 * {@code tous-publics-alone}) and why. Never the value: reasons go to the journal, logs and partners.
 */
record Problem(String field, String rule, String message) {

    /** "field: rule (message)". */
    String describe() {
        return field + ": " + rule + (message == null || message.isEmpty() ? "" : " (" + message + ")");
    }

    /** The first {@code max} problems, described, separated by "; ", with how many were left out. */
    static String describe(List<Problem> problems, int max) {
        String shown = problems.stream().limit(max).map(Problem::describe).collect(Collectors.joining("; "));
        return problems.size() > max ? shown + "; and " + (problems.size() - max) + " more" : shown;
    }
}
