package fr.aisne.hub.core.spi;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import fr.aisne.hub.core.Direction;

/**
 * One message flow of a connector, declared, not coded: hub-core turns it into the standard path
 * (receive, journal, duplicate check, validate, durable queue, deliver with retries, quarantine).
 * Build with {@link #inbound(String, String)} or {@link #outbound(String, String)}.
 */
public final class Flow {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Pattern HTTP_PATH = Pattern.compile("/in(/[a-z0-9][a-z0-9-]{0,39}){1,4}");

    private final String partner;
    private final String name;
    private final Direction direction;
    private String httpPath;
    private Set<String> senderRoles = Set.of("admin");
    private PayloadValidator validator = PayloadValidator.ACCEPT_ALL;
    private String deliveryUri;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private long maxPayloadBytes = 10L * 1024 * 1024;
    private String partnerMessageIdHeader = "X-Message-Id";

    private Flow(String partner, String name, Direction direction) {
        this.partner = requireId(partner, "partner");
        this.name = requireId(name, "flow");
        this.direction = direction;
    }

    /** A flow from a partner into the hub. */
    public static Flow inbound(String partner, String name) {
        return new Flow(partner, name, Direction.INBOUND);
    }

    /** A flow from the hub to a partner. */
    public static Flow outbound(String partner, String name) {
        return new Flow(partner, name, Direction.OUTBOUND);
    }

    /**
     * Accept messages by HTTP POST on {@code http://<hub host>:<hub port>/hub<path>}, authenticated with
     * HTTP Basic against the Karaf users; the user must have one of {@code roles}.
     */
    public Flow acceptHttp(String path, String... roles) {
        if (!HTTP_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("inbound HTTP paths are /in/ followed by 1 to 4 lower-case segments, was "
                    + path);
        }
        this.httpPath = path;
        if (roles.length > 0) {
            this.senderRoles = Set.of(roles);
        }
        return this;
    }

    public Flow validator(PayloadValidator validator) {
        this.validator = Objects.requireNonNull(validator);
        return this;
    }

    /** Any Camel producer URI; a failure (exception, HTTP status >= 300) counts as a failed attempt. */
    public Flow deliverTo(String uri) {
        this.deliveryUri = Objects.requireNonNull(uri);
        return this;
    }

    public Flow retry(RetryPolicy retry) {
        this.retry = Objects.requireNonNull(retry);
        return this;
    }

    public Flow maxPayloadBytes(long max) {
        this.maxPayloadBytes = max;
        return this;
    }

    public Flow partnerMessageIdHeader(String header) {
        this.partnerMessageIdHeader = header;
        return this;
    }

    public String partner() {
        return partner;
    }

    public String name() {
        return name;
    }

    public Direction direction() {
        return direction;
    }

    /** "partner/flow", the key of this flow in the journal and the API. */
    public String key() {
        return partner + "/" + name;
    }

    /** The durable queue between acceptance and delivery: hub.in|out.partner.flow. */
    public String queue() {
        return "hub." + direction.queueSegment() + "." + partner + "." + name;
    }

    public String httpPath() {
        return httpPath;
    }

    public Set<String> senderRoles() {
        return senderRoles;
    }

    public PayloadValidator validator() {
        return validator;
    }

    public String deliveryUri() {
        return deliveryUri;
    }

    public RetryPolicy retry() {
        return retry;
    }

    public long maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public String partnerMessageIdHeader() {
        return partnerMessageIdHeader;
    }

    private static String requireId(String value, String what) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " id must match " + ID.pattern() + ", was " + value);
        }
        return value;
    }
}
