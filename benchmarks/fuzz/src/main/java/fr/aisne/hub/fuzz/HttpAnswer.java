package fr.aisne.hub.fuzz;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A partner's HTTP answer written as a fuzz input: a first line holding the status ({@code HTTP 200}), header
 * lines ({@code Name: value}) up to an empty line, then the body. Only what a real HTTP client could deliver is
 * kept: a 3-digit status (200 when none is found), header names of token characters and values without CR/LF.
 * {@link #client} is an {@link HttpClient} that answers every request in process, so a connector's real transport,
 * token manager and client code parse the answer.
 */
public record HttpAnswer(int status, Map<String, List<String>> headers, byte[] body) {

    public static HttpAnswer parse(byte[] input) {
        int eol = indexOf(input, (byte) '\n', 0);
        String first = new String(input, 0, eol < 0 ? input.length : eol, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<!\\d)([1-9]\\d\\d)(?!\\d)").matcher(first);
        int status = m.find() ? Integer.parseInt(m.group(1)) : 200;
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int at = eol < 0 ? input.length : eol + 1;
        while (at < input.length) {
            int end = indexOf(input, (byte) '\n', at);
            int stop = end < 0 ? input.length : end;
            String line = new String(input, at, stop - at, StandardCharsets.ISO_8859_1);
            at = end < 0 ? input.length : end + 1;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") && line.indexOf('\r') < 0) {
                headers.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
        }
        byte[] body = new byte[input.length - at];
        System.arraycopy(input, at, body, 0, body.length);
        return new HttpAnswer(status, headers, body);
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** An HttpClient whose every request is answered by {@code answers} (nothing leaves the process). */
    public static HttpClient client(Function<HttpRequest, HttpAnswer> answers) {
        return new InProcessClient(answers);
    }

    private static final class InProcessClient extends HttpClient {
        private final Function<HttpRequest, HttpAnswer> answers;

        InProcessClient(Function<HttpRequest, HttpAnswer> answers) {
            this.answers = answers;
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            HttpAnswer a = answers.apply(request);
            HttpHeaders headers = HttpHeaders.of(a.headers(), (k, v) -> true);
            HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
                @Override
                public int statusCode() {
                    return a.status();
                }

                @Override
                public HttpHeaders headers() {
                    return headers;
                }

                @Override
                public Version version() {
                    return Version.HTTP_1_1;
                }
            };
            HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            if (a.body().length > 0) {
                subscriber.onNext(List.of(ByteBuffer.wrap(a.body())));
            }
            subscriber.onComplete();
            T body;
            try {
                body = subscriber.getBody().toCompletableFuture().get();
            } catch (ExecutionException e) {
                throw new IOException("body handler failed", e.getCause());
            }
            return new Response<>(a.status(), request, headers, body);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            try {
                return CompletableFuture.completedFuture(send(request, handler));
            } catch (IOException | InterruptedException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> push) {
            return sendAsync(request, handler);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }

        @Override
        public SSLParameters sslParameters() {
            return null;
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }
    }

    private record Response<T>(int statusCode, HttpRequest request, HttpHeaders headers, T body) implements HttpResponse<T> {
        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
