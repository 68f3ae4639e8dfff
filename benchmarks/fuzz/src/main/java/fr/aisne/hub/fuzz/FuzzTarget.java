package fr.aisne.hub.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.ValidationException;

/**
 * One thing to fuzz: a name, what it is, how to run one input in process, which exception is its documented
 * refusal (anything else it throws is a crash), its seeds and the tokens its mutations insert. The three shapes the
 * hub's parsers have are one call each: {@link #validator} (an intake {@link PayloadValidator}, refusing with
 * {@link ValidationException}), {@link #deliveryHandler} (a {@link DeliveryHandler}, refusing with a permanent
 * {@link DeliveryFailure}) and {@link #parser} (anything else, with its own refusal type). See {@link Targets}.
 */
public final class FuzzTarget {
    /** Runs one input: returns when the target accepts it, throws when it refuses it (or breaks). */
    @FunctionalInterface
    public interface Body {
        void run(byte[] input) throws Exception;
    }

    /** The reason of a documented refusal, as the target words it; null when {@code t} is not one (a crash). */
    @FunctionalInterface
    public interface Refusals {
        String reasonOf(Throwable t);

        /** Refusals are the exceptions of {@code type}, their reason what {@code reason} says of them. */
        static <T extends Throwable> Refusals of(Class<T> type, Function<T, String> reason) {
            return t -> type.isInstance(t) ? String.valueOf(reason.apply(type.cast(t))) : null;
        }
    }

    private final String name;
    private final String description;
    private Tokens tokens = Tokens.JSON;
    private Supplier<Body> body;
    private Refusals refusals;
    private final List<Supplier<List<Seeds.Seed>>> seeds = new ArrayList<>();
    private int maxInputBytes = 1 << 20;

    private FuzzTarget(String name, String description) {
        this.name = name;
        this.description = description;
    }

    /** A target; its seeds are at least the files of {@code src/main/corpus/<name>/} (sub-folders included). */
    public static FuzzTarget named(String name, String description) {
        return new FuzzTarget(name, description);
    }

    /** The dictionary of the input's format (default JSON). */
    public FuzzTarget tokens(Tokens t) {
        this.tokens = t;
        return this;
    }

    /** Seeds made by code (e.g. a partner double's generator), in addition to the corpus folder's files. */
    public FuzzTarget seeds(Supplier<List<Seeds.Seed>> more) {
        seeds.add(more);
        return this;
    }

    public FuzzTarget maxInputBytes(int max) {
        this.maxInputBytes = max;
        return this;
    }

    /** An intake validator: refuses with {@link ValidationException}; an IOException from bytes in memory is a crash. */
    public FuzzTarget validator(Supplier<PayloadValidator> validator) {
        return parser(() -> {
            PayloadValidator v = validator.get();
            return in -> v.validate(new ByteArrayInputStream(in));
        }, Refusals.of(ValidationException.class, ValidationException::getMessage));
    }

    /**
     * Several intake validators given the same payload (a connector's flows, when one input format serves them all):
     * accepted when all accept it; refused with what each said, in order ({@code ok} for those that accepted).
     */
    public FuzzTarget validators(Supplier<List<PayloadValidator>> validators) {
        return parser(() -> {
            List<PayloadValidator> all = validators.get();
            return in -> {
                StringBuilder said = new StringBuilder();
                boolean refused = false;
                for (PayloadValidator v : all) {
                    try {
                        v.validate(new ByteArrayInputStream(in));
                        said.append("ok; ");
                    } catch (ValidationException e) {
                        said.append(e.getMessage()).append("; ");
                        refused = true;
                    }
                }
                if (refused) {
                    throw new ValidationException(said.toString());
                }
            };
        }, Refusals.of(ValidationException.class, ValidationException::getMessage));
    }

    /**
     * A delivery handler, given the input as the payload of a delivery: refuses with a permanent
     * {@link DeliveryFailure}; the detail of a delivery it accepts (journaled) is judged like a refusal's reason. A
     * temporary one is a crash here (what the harness gives it never fails, so the
     * input itself made it ask for retries that cannot help).
     */
    public FuzzTarget deliveryHandler(Supplier<DeliveryHandler> handler) {
        return parser(() -> {
            DeliveryHandler h = handler.get();
            long[] n = {0};
            return in -> {
                DeliveryResult r = h.deliver(new FuzzDelivery(name, ++n[0], in));
                // what a delivery says goes to the journal as well: judged like a refusal's reason
                String leaked = r == null ? null : Oracle.leaked(String.valueOf(r.detail()), in);
                if (leaked != null) {
                    throw new JazzerTarget.Finding(name + ": the delivered detail quotes " + leaked
                            + " found in the input", null);
                }
            };
        }, t -> t instanceof DeliveryFailure f && f.isPermanent() ? f.getMessage() : null);
    }

    /** Anything else: {@code body} is made once per worker JVM, {@code refusals} tells a refusal from a crash. */
    public FuzzTarget parser(Supplier<Body> body, Refusals refusals) {
        this.body = body;
        this.refusals = refusals;
        return this;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    Tokens tokens() {
        return tokens;
    }

    Body newBody() {
        return body.get();
    }

    Refusals refusals() {
        return refusals;
    }

    int maxInputBytes() {
        return maxInputBytes;
    }

    List<Seeds.Seed> generatedSeeds() {
        List<Seeds.Seed> out = new ArrayList<>();
        for (Supplier<List<Seeds.Seed>> s : seeds) {
            out.addAll(s.get());
        }
        return out;
    }

    /** A delivery whose payload is the input (exchange ids unique per input). */
    private record FuzzDelivery(String target, long n, byte[] payload) implements Delivery {
        @Override
        public String exchangeId() {
            return String.format("fuzz-%031d", n);
        }

        @Override
        public String correlationId() {
            return "fuzz";
        }

        @Override
        public String partner() {
            return target.substring(0, target.indexOf('.') < 0 ? target.length() : target.indexOf('.'));
        }

        @Override
        public String flow() {
            return target;
        }

        @Override
        public String contentType() {
            return "application/json";
        }

        @Override
        public String partnerMessageId() {
            return null;
        }

        @Override
        public String orderingKey() {
            return null;
        }

        @Override
        public String sender() {
            return "fuzz";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public long size() {
            return payload.length;
        }

        @Override
        public InputStream openPayload() throws IOException {
            return new ByteArrayInputStream(payload);
        }
    }
}
