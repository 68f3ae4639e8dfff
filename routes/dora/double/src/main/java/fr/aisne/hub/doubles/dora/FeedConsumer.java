package fr.aisne.hub.doubles.dora;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.aisne.hub.doubles.dora.OfferCheck.Entry;

/**
 * Pulls the hub's feed as data·inclusion pulls a source: {@code GET <base>/structures} then {@code <base>/services},
 * page after page ({@code page}, {@code size}) with {@code Authorization: Bearer <token>}, each page an envelope
 * {@code {items, total, page, size, pages}} where {@code size} is the number of items returned. Then checks every
 * item ({@link OfferCheck}). A transport error, a non-200 answer or a body that is not an envelope ends the pull as
 * FAILED (nothing is validated); envelope inconsistencies are reported and the pull goes on.
 */
final class FeedConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(FeedConsumer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SchemaCheck check;
    private final Clock clock;

    FeedConsumer(SchemaCheck check, Clock clock) {
        this.check = check;
        this.clock = clock;
    }

    Report pull(Settings.Consumer cfg) {
        Report report = new Report("pull", clock.instant());
        report.feedBaseUrl = cfg.feedBaseUrl();
        try {
            if (cfg.feedBaseUrl().isEmpty()) {
                report.fail("consumer.feedBaseUrl is not set (settings or POST /double/consumer)");
                return report;
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(cfg.timeoutSeconds()))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            List<Entry> structures = new ArrayList<>();
            List<Entry> services = new ArrayList<>();
            if (!collect(http, cfg, "structures", structures, report) || !collect(http, cfg, "services", services, report)) {
                // a failed pull validates nothing: the report only says what came before the failure
                report.receivedWithoutCheck(SchemaCheck.Kind.STRUCTURE, structures.size());
                report.receivedWithoutCheck(SchemaCheck.Kind.SERVICE, services.size());
                return report;
            }
            LocalDate today = LocalDate.ofInstant(clock.instant(), DataInclusionApi.PARIS);
            OfferCheck.validate(report, structures, services, check, today);
            return report;
        } finally {
            report.finishedAt = clock.instant();
            LOG.info("Dora double: pulled the hub's feed, {}: structures {}, services {}", report.status,
                    counts(report, SchemaCheck.Kind.STRUCTURE), counts(report, SchemaCheck.Kind.SERVICE));
        }
    }

    private static String counts(Report r, SchemaCheck.Kind k) {
        int[] c = r.counts.get(k);
        return c[0] + " received, " + c[1] + " accepted, " + c[2] + " rejected";
    }

    /** All pages of one collection into {@code out}; false (and the report FAILED) when the pull must stop. */
    private boolean collect(HttpClient http, Settings.Consumer cfg, String collection, List<Entry> out, Report report) {
        Integer firstTotal = null;
        int page = 1;
        while (true) {
            String where = "GET " + cfg.feedBaseUrl() + "/" + collection + "?page=" + page + "&size=" + cfg.pageSize();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cfg.feedBaseUrl() + "/" + collection + "?page="
                    + page + "&size=" + cfg.pageSize())).timeout(Duration.ofSeconds(cfg.timeoutSeconds()))
                    .header("Accept", "application/json").GET();
            if (!cfg.token().isEmpty()) {
                b.header("Authorization", "Bearer " + cfg.token());
            }
            HttpResponse<byte[]> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                report.fail(where + ": no answer within " + cfg.timeoutSeconds() + " s");
                return false;
            } catch (IOException e) {
                report.fail(where + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                report.fail(where + ": interrupted");
                return false;
            }
            if (r.statusCode() != 200) {
                report.fail(where + " answered " + r.statusCode() + snippet(r.body()));
                return false;
            }
            JsonNode env;
            try {
                env = MAPPER.readTree(r.body());
            } catch (IOException e) {
                report.fail(where + ": the body is not JSON");
                return false;
            }
            if (env == null || !env.isObject() || !env.path("items").isArray()) {
                report.fail(where + ": not a page envelope {items, total, page, size, pages}");
                return false;
            }
            JsonNode items = env.get("items");
            Integer total = intField(env, "total", collection, page, report);
            Integer p = intField(env, "page", collection, page, report);
            Integer size = intField(env, "size", collection, page, report);
            Integer pages = intField(env, "pages", collection, page, report);
            if (p != null && p != page) {
                report.envelope.add(collection + " page " + page + ": page says " + p);
            }
            if (size != null && size != items.size()) {
                report.envelope.add(collection + " page " + page + ": size says " + size + " but " + items.size()
                        + " items came (size is the number of items returned)");
            }
            if (items.size() > cfg.pageSize()) {
                report.envelope.add(collection + " page " + page + ": " + items.size() + " items for a size of "
                        + cfg.pageSize());
            }
            if (total != null) {
                if (firstTotal == null) {
                    firstTotal = total;
                } else if (!firstTotal.equals(total)) {
                    report.envelope.add(collection + " page " + page + ": total says " + total + ", page 1 said " + firstTotal);
                }
            }
            for (JsonNode item : items) {
                out.add(new Entry(item, null));
            }
            report.pages.put(collection, page);
            boolean more = pages != null ? page < pages : items.size() > 0;
            if (!more || items.size() == 0) {
                break;
            }
            if (page >= cfg.maxPages()) {
                report.envelope.add(collection + ": stopped after consumer.maxPages (" + cfg.maxPages() + ") pages");
                break;
            }
            page++;
        }
        if (firstTotal != null && firstTotal != out.size()) {
            report.envelope.add(collection + ": total says " + firstTotal + " but " + out.size() + " items came");
        }
        return true;
    }

    private static Integer intField(JsonNode env, String name, String collection, int page, Report report) {
        JsonNode v = env.get(name);
        if (v == null || !v.isIntegralNumber()) {
            report.envelope.add(collection + " page " + page + ": " + name + " is missing or not an integer");
            return null;
        }
        return v.intValue();
    }

    /** The start of an error body, to say why (a partner's error text, never our token). */
    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").trim();
        return s.isEmpty() ? "" : ": " + s;
    }
}
