package fr.aisne.hub.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console's files, read from this bundle (its pages, stylesheet and the WebJars copied at build time under
 * {@code console/vendor/}). A path is looked up only when it is made of plain names: no "..", no encoded
 * characters, no absolute path, so nothing outside {@code console/} can be read.
 */
public final class ConsoleAssets {
    /**
     * Only this bundle's scripts and styles, no inline script or style, no eval, DOM writes only through lit-html's
     * Trusted Types policy, data from this origin only, never framed.
     */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
            + "require-trusted-types-for 'script'; trusted-types lit-html";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    /** One file: its bytes, media type, and whether a browser may keep it (vendor files never change in a version). */
    public record Asset(byte[] bytes, String contentType, boolean immutable) {
    }

    private final ClassLoader loader;

    public ConsoleAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /** The file at {@code path} (relative to /hub/console/; empty means index.html), if it is one of ours. */
    public Optional<Asset> find(String path) throws IOException {
        String p = path == null || path.isEmpty() ? "index.html" : path;
        if (!SAFE.matcher(p).matches() || p.contains("..")) {
            return Optional.empty();
        }
        int dot = p.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(p.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream("console/" + p)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new Asset(in.readAllBytes(), type, p.startsWith("vendor/")));
        }
    }
}
