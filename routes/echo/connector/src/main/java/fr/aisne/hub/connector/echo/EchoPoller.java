package fr.aisne.hub.connector.echo;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.Redaction;

/**
 * The poller shape: a Camel timer asks the partner for what it has ({@code GET <target>/outbox}: a JSON array of
 * {@code {id, subject, text}}), hands each item to the intake with the partner's id as message id, and
 * acknowledges it to the partner ({@code POST <target>/outbox/<id>/ack}) once the hub has taken it (queued, or a
 * duplicate of what it already took). An item not taken stays at the partner for the next poll.
 */
final class EchoPoller {
    private static final Logger LOG = LoggerFactory.getLogger(EchoPoller.class);

    private final URI outbox;
    private final Intake intake;
    private final Flow flow;
    private final PartnerGuard partner;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile String status = "not polled yet";

    EchoPoller(URI outbox, Intake intake, Flow flow, PartnerGuard partner) {
        this.outbox = outbox;
        this.intake = intake;
        this.flow = flow;
        this.partner = partner;
    }

    RoutesBuilder routes(int pollSeconds) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // the timer waits for the previous poll to end: one poll at a time
                from("timer:echo.poll?delay=1000&period=" + pollSeconds * 1000L).routeId("echo.poll")
                        .process(e -> poll());
            }
        };
    }

    String status() {
        return status;
    }

    void poll() {
        int taken = 0;
        try {
            partner.permit();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(outbox).timeout(Duration.ofSeconds(10)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                partner.failed();
                status = "last poll " + Instant.now() + ": partner answered HTTP " + r.statusCode();
                return;
            }
            partner.succeeded();
            for (JsonNode item : Json.MAPPER.readTree(r.body())) {
                String id = item.path("id").asText(null);
                IngestResult result = intake.accept(flow, new ByteArrayInputStream(Json.write(item)
                        .getBytes(StandardCharsets.UTF_8)), new InboundMetadata(null, id, "application/json", "echo-poller"));
                if (!result.outcome().taken()) {
                    break; // the hub cannot take it now: the partner keeps it for the next poll
                }
                partner.permit();
                client.send(HttpRequest.newBuilder(URI.create(outbox + "/" + id + "/ack"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                taken++;
            }
            status = "last poll " + Instant.now() + ": " + taken + " notes taken";
        } catch (DeliveryFailure e) {
            status = "poll deferred: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            partner.failed();
            status = "last poll " + Instant.now() + " failed: " + Redaction.describe(e);
            LOG.warn("Echo poll failed: {}", Redaction.describe(e));
        }
    }
}
