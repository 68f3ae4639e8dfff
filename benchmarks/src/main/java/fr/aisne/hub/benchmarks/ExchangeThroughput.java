package fr.aisne.hub.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exchange core's figures (issue 12), against a started hub with the echo connector and double and the bare
 * relay installed (benchmarks/exchange-core.sh sets that up): N messages from S concurrent HTTP senders through
 * the hub's echo flow, then the same through the bare relay (HTTP in, the same Artemis, HTTP out: the floor), each
 * measured as accepted/s, p50/p99 accept latency and delivered/s end to end (until the echo double has received
 * them all); then both at a fixed offered rate (latency from the intended send time, so a stall is not hidden);
 * then the hub's echo flow while one message in 100 fails for 10 minutes. Prints figures; asserts nothing.
 *
 * <p>Arguments: hubUrl bareUrl doubleUrl user:password messages senders pacedRate [bracket|floor|hub-only]. With
 * {@code bracket}, only the hub's runs: healthy, failing, healthy again (to tell a slowdown from the drift of a warming
 * JVM); {@code floor}, the closed-loop pair only; {@code hub-only}, one closed-loop run of the hub, no warm-up (a
 * profiler records it: benchmarks/profile-hub.sh).
 */
public final class ExchangeThroughput {
    private static final Pattern RECEIVED = Pattern.compile("\"received\":(\\d+)");
    private static final Pattern REFUSED = Pattern.compile("\"refused\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String auth;
    private final String doubleUrl;
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    private ExchangeThroughput(String userPassword, String doubleUrl) {
        this.auth = "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
        this.doubleUrl = doubleUrl;
    }

    /** One load's outcome. */
    record Figures(int sent, int rejected, double acceptedPerSecond, double p50Ms, double p99Ms,
            double deliveredPerSecond, long delivered) {
        String line(String name) {
            return String.format(Locale.ROOT, "%-34s %7d sent  %7.0f accepted/s  p50 %6.1f ms  p99 %6.1f ms  "
                    + "%7.0f delivered/s%s", name, sent, acceptedPerSecond, p50Ms, p99Ms, deliveredPerSecond,
                    rejected > 0 ? "  (" + rejected + " not answered 202)" : "");
        }
    }

    public static void main(String[] args) throws Exception {
        String hub = args[0];
        String bare = args[1];
        ExchangeThroughput b = new ExchangeThroughput(args[3], args[2]);
        int messages = Integer.parseInt(args[4]);
        int senders = Integer.parseInt(args[5]);
        int paced = Integer.parseInt(args[6]);
        if (args.length > 7 && args[7].equals("hub-only")) { // one closed-loop run of the hub (profiling)
            System.out.println(b.load("hub", hub, messages, senders, 0, messages, null).line("hub echo flow"));
            return;
        }
        if (args.length > 7 && args[7].equals("bracket")) {
            b.load("warm-hub", hub, 10_000, senders, 0, 10_000, null);
            Figures before = b.load("hub", hub, messages, senders, 0, messages, null);
            Figures failing = b.load("failing", hub, messages, senders, 0, messages - messages / 100,
                    "/control/failEvery?n=100&seconds=600");
            b.control("/control/reset");
            Thread.sleep(70_000); // the failing messages' retries end (quarantined after 6 attempts, about 62 s)
            Figures after = b.load("hub-again", hub, messages, senders, 0, messages, null);
            System.out.println();
            System.out.println(before.line("hub echo flow"));
            System.out.println(failing.line("hub, 1 in 100 failing for 10 min"));
            System.out.println(after.line("hub echo flow, again"));
            return;
        }

        System.out.println("warm-up: 10,000 messages through each (JIT, connection pools, Derby caches)");
        b.load("warm-bare", bare, 10_000, senders, 0, 10_000, null);
        b.load("warm-hub", hub, 10_000, senders, 0, 10_000, null);

        Figures floor = b.load("bare", bare, messages, senders, 0, messages, null);
        Figures core = b.load("hub", hub, messages, senders, 0, messages, null);
        if (args.length > 7 && args[7].equals("floor")) { // the closed-loop pair only (comparing JVM settings)
            printRatio(floor, core);
            return;
        }
        Figures pacedFloor = b.load("paced-bare", bare, paced * 20, senders, paced, paced * 20, null);
        Figures pacedCore = b.load("paced-hub", hub, paced * 20, senders, paced, paced * 20, null);

        Figures failing = b.load("failing", hub, messages, senders, 0, messages - messages / 100,
                "/control/failEvery?n=100&seconds=600");
        long refused = b.count(REFUSED);
        b.control("/control/reset");

        System.out.println();
        System.out.printf(Locale.ROOT, "== Exchange core, %d messages, %d concurrent senders, %d cores%n", messages,
                senders, Runtime.getRuntime().availableProcessors());
        System.out.println(floor.line("bare relay (floor)"));
        System.out.println(core.line("hub echo flow"));
        printRatio(floor, core);
        System.out.println(pacedFloor.line("bare relay at " + paced + "/s offered"));
        System.out.println(pacedCore.line("hub echo flow at " + paced + "/s offered"));
        System.out.println(failing.line("hub, 1 in 100 failing for 10 min"));
        System.out.printf(Locale.ROOT, "  the %d healthy messages delivered in %.1f s; %d refusals by the double "
                + "(their messages wait for their next attempt, not counted)%n", failing.delivered(),
                failing.delivered() / failing.deliveredPerSecond(), refused);
    }

    private static void printRatio(Figures floor, Figures core) {
        System.out.printf(Locale.ROOT, "ratio bare/hub: accepted %.2fx, delivered %.2fx%n",
                floor.acceptedPerSecond() / core.acceptedPerSecond(),
                floor.deliveredPerSecond() / core.deliveredPerSecond());
    }

    /**
     * Sends {@code n} messages from {@code senders} threads (at {@code rate}/s in all when rate > 0), then waits
     * until the double has received {@code expected} messages. {@code doubleSetUp}: a control call made on the double
 * after its counters are reset (null for none).
     */
    Figures load(String name, String url, int n, int senders, int rate, int expected, String doubleSetUp)
            throws Exception {
        control("/control/reset");
        if (doubleSetUp != null) {
            control(doubleSetUp);
        }
        long[] latency = new long[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        long t0 = System.nanoTime();
        long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            all.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    long intended = t0 + i * interval;
                    if (rate > 0) {
                        long wait = intended - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    long start = rate > 0 ? intended : System.nanoTime();
                    String corr = name + "-" + run + "-" + i;
                    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                            .header("Authorization", auth).header("Content-Type", "application/json")
                            .header("X-Correlation-Id", corr)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"" + corr + "\",\"n\":" + i + "}"))
                            .build();
                    try {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 202 && rejected.incrementAndGet() <= 3) {
                            System.out.println("  " + corr + ": HTTP " + r.statusCode() + " " + r.body());
                        }
                    } catch (IOException e) {
                        if (rejected.incrementAndGet() <= 3) {
                            System.out.println("  " + corr + ": " + e);
                        }
                    }
                    latency[i] = System.nanoTime() - start;
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        long accepted = System.nanoTime();
        pool.shutdown();
        long delivered = waitForDouble(expected);
        long end = System.nanoTime();
        Arrays.sort(latency);
        Figures f = new Figures(n, rejected.get(), n / seconds(accepted - t0), latency[n / 2] / 1e6,
                latency[(int) (n * 0.99)] / 1e6, delivered / seconds(end - t0), delivered);
        System.out.println(f.line(name));
        return f;
    }

    /** Polls the double until it has received {@code expected} messages, or nothing more arrives for 30 s. */
    private long waitForDouble(int expected) throws Exception {
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long received = count(RECEIVED);
            if (received >= expected) {
                return received;
            }
            if (received != last) {
                last = received;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 30_000_000_000L) {
                System.out.println("  the double stopped at " + received + " of " + expected + " messages");
                return received;
            }
            Thread.sleep(20);
        }
    }

    private long count(Pattern which) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(doubleUrl + "/received")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = which.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private void control(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(doubleUrl + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("double control " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
