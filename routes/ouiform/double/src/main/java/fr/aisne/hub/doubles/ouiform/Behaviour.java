package fr.aisne.hub.doubles.ouiform;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Injected behaviour of the Région side (SOAP and REST; the control API is never affected). The defaults come from
 * the settings file; {@code POST /double/control} changes them at run time, {@code POST /double/control/reset} puts
 * the settings' values back. The same names are used in both places.
 *
 * @param latencyMillis pause before every partner answer
 * @param outage when true, every partner call is answered {@code outageStatus} at the HTTP level (SOAP: no envelope,
 *        as a front proxy would; REST: {@code {code: INDISPONIBLE}} with Retry-After)
 * @param outageStatus status of the outage answers (500-599)
 * @param faultNext how many of the next partner calls are answered with {@code faultCode} (SOAP fault with its
 *        detail, REST error with the code's status)
 * @param faultCode the code of those faults (a {@link CodeErreur}, default INDISPONIBLE)
 */
record Behaviour(long latencyMillis, boolean outage, int outageStatus, int faultNext, CodeErreur faultCode) {

    static final Behaviour DEFAULT = new Behaviour(0, false, 503, 0, CodeErreur.INDISPONIBLE);

    Behaviour {
        Settings.check(latencyMillis >= 0 && latencyMillis <= 300_000, "latencyMillis", "must be between 0 and 300000");
        Settings.check(outageStatus >= 500 && outageStatus <= 599, "outageStatus", "must be a 5xx status");
        Settings.check(faultNext >= 0, "faultNext", "must be 0 or more");
        Settings.check(faultCode != null, "faultCode", "one of the contract's codes expected");
    }

    /** From the settings (keys named as the fields), with {@link #DEFAULT} for what is absent. */
    static Behaviour from(Map<String, ?> config) {
        Function<String, String> get = k -> Settings.text(config, k, null);
        return new Behaviour(
                Settings.intValue(get.apply("latencyMillis"), "latencyMillis", (int) DEFAULT.latencyMillis),
                Settings.booleanValue(get.apply("outage"), "outage", DEFAULT.outage),
                Settings.intValue(get.apply("outageStatus"), "outageStatus", DEFAULT.outageStatus),
                Settings.intValue(get.apply("faultNext"), "faultNext", DEFAULT.faultNext),
                get.apply("faultCode") == null ? DEFAULT.faultCode : CodeErreur.parse(get.apply("faultCode")));
    }

    /** This behaviour with the fields present in {@code json} changed; an unknown field is refused. */
    Behaviour with(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a JSON object is expected");
        }
        long latency = latencyMillis;
        boolean out = outage;
        int outStatus = outageStatus;
        int next = faultNext;
        CodeErreur code = faultCode;
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "latencyMillis" -> latency = integer(f.getKey(), v);
                case "outage" -> {
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException("outage: true or false expected");
                    }
                    out = v.booleanValue();
                }
                case "outageStatus" -> outStatus = integer(f.getKey(), v);
                case "faultNext" -> next = integer(f.getKey(), v);
                case "faultCode" -> {
                    code = v.isTextual() ? CodeErreur.parse(v.textValue()) : null;
                    if (code == null) {
                        throw new IllegalArgumentException("faultCode: one of the contract's codes expected");
                    }
                }
                default -> throw new IllegalArgumentException("unknown field " + f.getKey());
            }
        }
        return new Behaviour(latency, out, outStatus, next, code);
    }

    Behaviour withFaultNext(int remaining) {
        return new Behaviour(latencyMillis, outage, outageStatus, remaining, faultCode);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latencyMillis", latencyMillis);
        m.put("outage", outage);
        m.put("outageStatus", outageStatus);
        m.put("faultNext", faultNext);
        m.put("faultCode", faultCode.name());
        return m;
    }

    private static int integer(String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + ": an integer is expected");
        }
        return v.intValue();
    }
}
