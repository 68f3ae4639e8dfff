package fr.aisne.hub.doubles.echo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local stand-in for the echo partner, in its own CamelContext and on its own port so that it lives and dies
 * independently of the hub (stopping this bundle is a real outage: connection refused).
 * <ul>
 * <li>{@code POST /echo}: answers 200 with the body it received, in the order received (kept by correlation id);
 * {@code failure.status} (etc/hub.double.echo.cfg) makes it answer that status to everything; a message whose
 * correlation id was marked with {@code POST /echo/control/fail?correlationId=..&seconds=..} is answered 503 for
 * that long; with {@code failure.everyNth} = n, one new correlation id in n is answered 503 for
 * {@code failure.seconds} (a partner that fails on some messages for a while: the benchmark's case), also set at
 * runtime by {@code POST /echo/control/failEvery?n=..&seconds=..};</li>
 * <li>{@code GET /echo/received?correlationId=...}: how many messages it accepted, in all and for that id;
 * {@code GET /echo/log?prefix=...}: the correlation ids accepted, in arrival order;</li>
 * <li>{@code GET /echo/outbox}: the notes the partner has for the department ({@code [{id, subject, text}]}), each
 * until acknowledged with {@code POST /echo/outbox/<id>/ack}; {@code POST /echo/outbox {subject, text}} adds one;</li>
 * <li>{@code POST /echo/control/reset}: forgets counts, log, failures and notes.</li>
 * </ul>
 */
@Component(immediate = true, configurationPid = "hub.double.echo", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class EchoDouble {
    private static final Logger LOG = LoggerFactory.getLogger(EchoDouble.class);
    private static final int LOG_MAX = 200_000;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong seen = new AtomicLong();
    private final Map<String, AtomicLong> byCorrelation = new ConcurrentHashMap<>();
    private final Map<String, Long> failUntilNanos = new ConcurrentHashMap<>();
    private final Deque<String> arrivals = new ArrayDeque<>();
    private final Map<String, Map<String, String>> outbox = new ConcurrentHashMap<>();
    private DefaultCamelContext camel;
    // one new correlation id in everyNth fails for failSeconds (settings; changed at runtime by the control API)
    private volatile int everyNth;
    private volatile long failSeconds;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        String host = String.valueOf(config.getOrDefault("http.host", "127.0.0.1"));
        int port = Integer.parseInt(String.valueOf(config.getOrDefault("http.port", "8282")));
        int failureStatus = Integer.parseInt(String.valueOf(config.getOrDefault("failure.status", "0")));
        int configuredEveryNth = Integer.parseInt(String.valueOf(config.getOrDefault("failure.everyNth", "0")));
        long configuredFailSeconds = Long.parseLong(String.valueOf(config.getOrDefault("failure.seconds", "600")));
        everyNth = configuredEveryNth;
        failSeconds = configuredFailSeconds;
        String base = "jetty:http://" + host + ":" + port + "/echo";
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("double-echo");
            camel.setApplicationContextClassLoader(runtime);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(base + "?httpMethodRestrict=POST").routeId("double-echo.receive").process(e -> {
                        if (failureStatus >= 400) {
                            answer(e, failureStatus, "{\"error\":\"injected failure\"}");
                            return;
                        }
                        String corr = e.getMessage().getHeader("X-Correlation-Id", String.class);
                        if (corr != null && failing(corr)) {
                            refused.incrementAndGet();
                            answer(e, 503, "{\"error\":\"this message fails for a while\"}");
                            return;
                        }
                        byte[] body = e.getMessage().getBody(byte[].class);
                        received.incrementAndGet();
                        if (corr != null) {
                            byCorrelation.computeIfAbsent(corr, k -> new AtomicLong()).incrementAndGet();
                            synchronized (arrivals) {
                                arrivals.addLast(corr);
                                if (arrivals.size() > LOG_MAX) {
                                    arrivals.removeFirst();
                                }
                            }
                        }
                        e.getMessage().removeHeaders("*", "Content-Type");
                        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                        e.getMessage().setBody(body);
                    });
                    from(base + "/received?httpMethodRestrict=GET").routeId("double-echo.received").process(e -> {
                        String corr = e.getMessage().getHeader("correlationId", String.class);
                        long forCorr = corr == null ? 0 : byCorrelation.getOrDefault(corr, new AtomicLong()).get();
                        answer(e, 200, "{\"received\":" + received.get() + ",\"refused\":" + refused.get()
                                + ",\"forCorrelationId\":" + forCorr + "}");
                    });
                    from(base + "/log?httpMethodRestrict=GET").routeId("double-echo.log").process(e -> {
                        String prefix = e.getMessage().getHeader("prefix", "", String.class);
                        List<String> ids = new ArrayList<>();
                        synchronized (arrivals) {
                            for (String a : arrivals) {
                                if (a.startsWith(prefix)) {
                                    ids.add("\"" + a.replace("\"", "") + "\"");
                                }
                            }
                        }
                        answer(e, 200, "[" + String.join(",", ids) + "]");
                    });
                    from(base + "/control?matchOnUriPrefix=true&httpMethodRestrict=POST").routeId("double-echo.control")
                            .process(e -> {
                                String path = e.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
                                if (path.endsWith("/fail")) {
                                    String corr = e.getMessage().getHeader("correlationId", String.class);
                                    long seconds = Long.parseLong(e.getMessage().getHeader("seconds", "60", String.class));
                                    failUntilNanos.put(corr, System.nanoTime() + seconds * 1_000_000_000L);
                                    answer(e, 200, "{\"failing\":\"" + corr + "\",\"seconds\":" + seconds + "}");
                                } else if (path.endsWith("/failEvery")) {
                                    everyNth = Integer.parseInt(e.getMessage().getHeader("n", "0", String.class));
                                    failSeconds = Long.parseLong(e.getMessage().getHeader("seconds", "600", String.class));
                                    seen.set(0);
                                    answer(e, 200, "{\"everyNth\":" + everyNth + ",\"seconds\":" + failSeconds + "}");
                                } else if (path.endsWith("/reset")) {
                                    everyNth = configuredEveryNth;
                                    failSeconds = configuredFailSeconds;
                                    received.set(0);
                                    refused.set(0);
                                    seen.set(0);
                                    byCorrelation.clear();
                                    failUntilNanos.clear();
                                    outbox.clear();
                                    synchronized (arrivals) {
                                        arrivals.clear();
                                    }
                                    answer(e, 200, "{\"reset\":true}");
                                } else {
                                    answer(e, 404, "{\"error\":\"unknown control\"}");
                                }
                            });
                    from(base + "/outbox?matchOnUriPrefix=true").routeId("double-echo.outbox").process(e -> {
                        String method = e.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
                        String path = e.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
                        if ("GET".equals(method)) {
                            List<Map<String, String>> items = new ArrayList<>(outbox.values());
                            items.sort((a, b) -> a.get("id").compareTo(b.get("id")));
                            answer(e, 200, json(items.subList(0, Math.min(100, items.size()))));
                        } else if ("POST".equals(method) && path.endsWith("/ack")) {
                            String id = path.replaceAll(".*/([^/]+)/ack$", "$1");
                            answer(e, outbox.remove(id) != null ? 204 : 404, "");
                        } else if ("POST".equals(method)) {
                            String body = e.getMessage().getBody(String.class);
                            String id = System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8);
                            Map<String, String> note = new LinkedHashMap<>();
                            note.put("id", id);
                            note.put("subject", field(body, "subject"));
                            note.put("text", field(body, "text"));
                            outbox.put(id, note);
                            answer(e, 201, "{\"id\":\"" + id + "\"}");
                        } else {
                            answer(e, 405, "");
                        }
                    });
                }
            });
            camel.start();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        LOG.info("Echo double listening on http://{}:{}/echo{}{}", host, port,
                failureStatus >= 400 ? " (answering " + failureStatus + ")" : "",
                everyNth > 0 ? " (one message in " + everyNth + " fails for " + failSeconds + " s)" : "");
    }

    /** True while the message must be refused: marked by the control endpoint, or chosen by the every-nth rule. */
    private boolean failing(String corr) {
        int everyNth = this.everyNth;
        Long until = failUntilNanos.get(corr);
        if (until == null && everyNth > 0 && !byCorrelation.containsKey(corr) && seen.incrementAndGet() % everyNth == 0) {
            until = System.nanoTime() + failSeconds * 1_000_000_000L;
            failUntilNanos.put(corr, until);
        }
        return until != null && System.nanoTime() - until < 0;
    }

    private static void answer(Exchange e, int status, String body) {
        e.getMessage().removeHeaders("*");
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(body);
    }

    /** A top-level string field of a small JSON object (the double needs no JSON library). */
    static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(json == null ? "" : json);
        return m.find() ? m.group(1) : "";
    }

    private static String json(List<Map<String, String>> items) {
        StringBuilder sb = new StringBuilder("[");
        for (Map<String, String> item : items) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, String> f : item.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append('"').append(f.getKey()).append("\":\"").append(f.getValue()).append('"');
            }
            sb.append('}');
        }
        return sb.append(']').toString();
    }

    @Deactivate
    void deactivate() {
        if (camel != null) {
            camel.stop();
        }
        LOG.info("Echo double stopped");
    }
}
