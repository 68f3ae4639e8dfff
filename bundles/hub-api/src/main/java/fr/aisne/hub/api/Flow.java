package fr.aisne.hub.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One message flow of a connector, declared, not coded: hub-core turns it into the standard path (receive,
 * journal, duplicate check, validate, durable queue, deliver with non-blocking retries, quarantine, replay).
 * Build with {@link #inbound(String, String)} or {@link #outbound(String, String)}, then declare it with
 * {@link ConnectorContext#flow(Flow)}.
 */
public final class Flow {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Pattern HTTP_PATH = Pattern.compile("/in(/[a-z0-9][a-z0-9-]{0,39}){1,4}");
    /** Above this, a flow's deliveries would only queue up on the partner: the hub's listener has 200 threads. */
    public static final int MAX_CONCURRENCY = 64;

    private final String partner;
    private final String name;
    private final Direction direction;
    private String httpPath;
    private HttpSender httpSender = HttpSender.roles("admin");
    private PayloadValidator validator;
    private String deliveryUri;
    private DeliveryHandler deliveryHandler;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private long maxPayloadBytes = 10L * 1024 * 1024;
    private String partnerMessageIdHeader = "X-Message-Id";
    private Duplicates duplicates = Duplicates.MESSAGE_ID_ELSE_DIGEST;
    private OrderingKey orderingKey = OrderingKey.NONE;
    private int concurrency = 1;
    private PartnerGuard guard;

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
     * Accepts messages by HTTP POST on {@code http://<hub host>:<hub port>/hub<path>}, authenticated with HTTP
     * Basic against the hub's accounts; the account must have one of {@code roles}. Credentials are checked
     * before the body is read, the body's size before it is stored.
     */
    public Flow acceptHttp(String path, String... roles) {
        return acceptHttp(path, HttpSender.roles(roles.length == 0 ? new String[] {"admin"} : roles));
    }

    /** Accepts messages by HTTP POST on {@code /hub<path>}, the sender checked as {@code sender} says. */
    public Flow acceptHttp(String path, HttpSender sender) {
        if (path == null || !HTTP_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("inbound HTTP paths are /in/ followed by 1 to 4 lower-case segments, was "
                    + path);
        }
        this.httpPath = path;
        this.httpSender = Objects.requireNonNull(sender);
        return this;
    }

    /**
     * Checks every message before it is queued (streaming, never trusting the input). A flow whose payload can
     * only be checked by its handler (a large file) declares none: it is then never journaled VALIDATED, and
     * its handler signals a broken payload with {@link DeliveryFailure#permanent}.
     */
    public Flow validator(PayloadValidator validator) {
        this.validator = Objects.requireNonNull(validator);
        return this;
    }

    /** Delivers to any Camel producer URI (an HTTP relay); see {@link DeliveryHandler} for in-process work. */
    public Flow deliverTo(String uri) {
        this.deliveryUri = Objects.requireNonNull(uri);
        this.deliveryHandler = null;
        return this;
    }

    /** Delivers in-process: the handler gets the payload and says what it did or why it failed. */
    public Flow deliverTo(DeliveryHandler handler) {
        this.deliveryHandler = Objects.requireNonNull(handler);
        this.deliveryUri = null;
        return this;
    }

    public Flow retry(RetryPolicy retry) {
        this.retry = Objects.requireNonNull(retry);
        return this;
    }

    public Flow maxPayloadBytes(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, was " + max);
        }
        this.maxPayloadBytes = max;
        return this;
    }

    /** The HTTP header that carries the partner's own message id (default X-Message-Id). */
    public Flow partnerMessageIdHeader(String header) {
        this.partnerMessageIdHeader = Objects.requireNonNull(header);
        return this;
    }

    public Flow duplicates(Duplicates duplicates) {
        this.duplicates = Objects.requireNonNull(duplicates);
        return this;
    }

    /**
     * Messages with one key (a person, a household, a file, a convention) are delivered one at a time and in
     * the order received, across retries; messages with other keys go on meanwhile.
     */
    public Flow orderingKey(OrderingKey key) {
        this.orderingKey = Objects.requireNonNull(key);
        return this;
    }

    /** How many messages of this flow may be delivered at once (1 to {@link #MAX_CONCURRENCY}). */
    public Flow concurrency(int concurrency) {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be between 1 and " + MAX_CONCURRENCY + ", was "
                    + concurrency);
        }
        this.concurrency = concurrency;
        return this;
    }

    /**
     * Deliveries take a slot of the partner's concurrency limit and wait while its circuit is open; the calls they
     * make to the partner count in its rate limit and circuit breaker as the handler reports them (see
     * {@link PartnerGuard}; the HTTP relay reports its own).
     */
    public Flow guardedBy(PartnerGuard guard) {
        this.guard = Objects.requireNonNull(guard);
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

    public HttpSender httpSender() {
        return httpSender;
    }

    /** The validator, or null when the flow's payload is checked by its handler. */
    public PayloadValidator validator() {
        return validator;
    }

    public String deliveryUri() {
        return deliveryUri;
    }

    public DeliveryHandler deliveryHandler() {
        return deliveryHandler;
    }

    public boolean delivers() {
        return deliveryUri != null || deliveryHandler != null;
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

    public Duplicates duplicates() {
        return duplicates;
    }

    public OrderingKey orderingKey() {
        return orderingKey;
    }

    public int concurrency() {
        return concurrency;
    }

    /** The partner guard, or null. */
    public PartnerGuard guard() {
        return guard;
    }

    @Override
    public String toString() {
        return "Flow[" + key() + "]";
    }

    private static String requireId(String value, String what) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " id must match " + ID.pattern() + ", was " + value);
        }
        return value;
    }
}
