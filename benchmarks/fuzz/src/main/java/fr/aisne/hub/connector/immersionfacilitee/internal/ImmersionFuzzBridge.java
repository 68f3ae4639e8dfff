package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.ValidationException;

/**
 * Opens the Immersion Facilitée connector's package-private parsers to the fuzzer. Lives in benchmarks/fuzz only
 * (same package name on a plain class path); the connector's bundle knows nothing of it.
 */
public final class ImmersionFuzzBridge {
    private ImmersionFuzzBridge() {
    }

    /** Why a convention read cannot be used (the connector's PlatformException or MappingException), as journaled. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A convention read ({@code GET /v2/conventions/{id}} answered 200) as ConventionHandler reads it: the body as
     * JSON, mapped to the hub's convention ({@link PlatformMapping}), and the platform's message as a 400 would show it.
     */
    public static void conventionRead(byte[] body) throws Unusable {
        PlatformClient.Answer a = new PlatformClient.Answer(200, body);
        a.message();
        try {
            PlatformMapping.map(a.json());
        } catch (PlatformClient.PlatformException e) {
            throw new Unusable(e.getMessage(), e);
        } catch (PlatformMapping.MappingException e) {
            throw new Unusable("convention unusable: " + e.getMessage(), e);
        }
    }

    /**
     * A webhook call's body as the intake takes it ({@link WebhookIntake#read}, at most 256 KiB), the hand-over it
     * journals, and that hand-over through the flow's validator. Returns normally when the hand-over is accepted.
     */
    public static void webhookCall(byte[] body) throws IOException, ValidationException {
        WebhookIntake.Read read = WebhookIntake.read(new ByteArrayInputStream(body), 256 * 1024);
        if (read == null) {
            throw new ValidationException("request body larger than 262144 bytes");
        }
        HandOver h = new HandOver(read.id() == null ? "" : read.id(), HandOver.WEBHOOK, Instant.parse("2026-12-06T10:00:00Z"),
                read.status(), read.updatedAt(), read.sha256());
        HandOver.validator().validate(new ByteArrayInputStream(h.json().getBytes(StandardCharsets.UTF_8)));
    }

    /** The department's paper immersion ({@link DepartmentImmersions}), then the convention it becomes when valid. */
    public static PayloadValidator departmentImmersion() {
        DepartmentImmersions v = new DepartmentImmersions();
        return in -> {
            byte[] bytes = in.readAllBytes();
            v.validate(new ByteArrayInputStream(bytes));
            try (InputStream again = new ByteArrayInputStream(bytes)) {
                DepartmentImmersions.toConvention(DepartmentImmersions.read(again));
            }
        };
    }
}
