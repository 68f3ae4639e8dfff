package fr.aisne.hub.api.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the password of the hub's keystores comes from: from outside the installation, so that a copy of etc/ (a
 * backup, a support archive) does not hold both a keystore and the password that opens it. In order:
 * <ol>
 * <li>the environment variable {@value #ENV};</li>
 * <li>the file named by the system property {@value #FILE_PROPERTY} (etc/system.properties), first line;</li>
 * <li>the file {@value #CREDENTIAL} in systemd's {@code $CREDENTIALS_DIRECTORY} ({@code LoadCredential=}).</li>
 * </ol>
 * In production mode (system property {@value #MODE_PROPERTY} = {@code production}) a password is required, at least
 * {@value #MIN_LENGTH} characters long, and a file must lie outside the installation; without one nothing is
 * created and the hub refuses to start. In development mode (the default) a keystore without it keeps its random
 * password in a file beside it, as before, with a warning. Messages never contain the password.
 */
public final class KeystorePassword {
    public static final String ENV = "HUB_KEYSTORE_PASSWORD";
    public static final String FILE_PROPERTY = "hub.keystore.passwordFile";
    public static final String CREDENTIAL = "hub-keystore";
    public static final String MODE_PROPERTY = "hub.mode";
    public static final int MIN_LENGTH = 16;

    /** The hub refuses to open or create a keystore: what is wrong and what to do (never the password). */
    public static final class Refused extends GeneralSecurityException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private final char[] password;
    private final String source;
    private final boolean production;
    private final String problem;

    private KeystorePassword(char[] password, String source, boolean production, String problem) {
        this.password = password;
        this.source = source;
        this.production = production;
        this.problem = problem;
    }

    /** From this process' environment and system properties. */
    public static KeystorePassword fromEnvironment() {
        Map<String, String> env = System.getenv();
        return resolve(env::get, System::getProperty);
    }

    /** Development mode without an external password (tests, tools): the sibling file, as before. */
    public static KeystorePassword none() {
        return new KeystorePassword(null, null, false, null);
    }

    /** An explicit password (tests, tools). */
    public static KeystorePassword of(String password, boolean production) {
        return new KeystorePassword(password.toCharArray(), "given", production, null);
    }

    /**
     * @param env        environment variables
     * @param properties system properties ({@value #MODE_PROPERTY}, {@value #FILE_PROPERTY}, karaf.home/base/etc/data)
     */
    public static KeystorePassword resolve(UnaryOperator<String> env, UnaryOperator<String> properties) {
        boolean production = "production".equals(trim(properties.apply(MODE_PROPERTY)).toLowerCase(Locale.ROOT));
        String value = env.apply(ENV);
        if (value != null && !value.isBlank()) {
            return checked(value.strip().toCharArray(), "the environment variable " + ENV, production);
        }
        Path file = null;
        String configured = trim(properties.apply(FILE_PROPERTY));
        String credentials = trim(env.apply("CREDENTIALS_DIRECTORY"));
        if (!configured.isEmpty()) {
            file = Paths.get(configured);
        } else if (!credentials.isEmpty() && Files.isRegularFile(Paths.get(credentials, CREDENTIAL))) {
            file = Paths.get(credentials, CREDENTIAL);
        }
        if (file == null) {
            return new KeystorePassword(null, null, production, production ? "production mode (" + MODE_PROPERTY
                    + " = production) needs the keystore password from outside the installation: set the environment "
                    + "variable " + ENV + ", or " + FILE_PROPERTY + " in etc/system.properties to a file outside the "
                    + "installation, or a systemd credential " + CREDENTIAL + " (docs/OPERATIONS.md)" : null);
        }
        String where = "the file " + file;
        if (insideInstallation(file, properties)) {
            String msg = where + " (" + FILE_PROPERTY + ") lies inside the installation: a copy of the installation "
                    + "would hold the keystores and their password; move it outside";
            if (production) {
                return new KeystorePassword(null, where, true, msg);
            }
            org.slf4j.LoggerFactory.getLogger(KeystorePassword.class).warn(msg);
        }
        String line;
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            line = lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
            return new KeystorePassword(null, where, production, "the keystore password file " + file
                    + " cannot be read (" + e.getClass().getSimpleName() + "): check its path and that the hub's "
                    + "account may read it");
        }
        if (line.isEmpty()) {
            return new KeystorePassword(null, where, production, "the keystore password file " + file + " is empty");
        }
        return checked(line.toCharArray(), where, production);
    }

    private static KeystorePassword checked(char[] password, String source, boolean production) {
        if (production && password.length < MIN_LENGTH) {
            return new KeystorePassword(null, source, true, "the keystore password from " + source + " is shorter than "
                    + MIN_LENGTH + " characters: production mode needs a long random one (openssl rand -base64 32)");
        }
        return new KeystorePassword(password, source, production, null);
    }

    private static boolean insideInstallation(Path file, UnaryOperator<String> properties) {
        Path real = realPath(file);
        List<Path> roots = new ArrayList<>();
        for (String p : List.of("karaf.home", "karaf.base", "karaf.etc", "karaf.data")) {
            String v = properties.apply(p);
            if (v != null && !v.isBlank()) {
                roots.add(realPath(Paths.get(v)));
            }
        }
        return roots.stream().anyMatch(real::startsWith);
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    /** The external password, when one is configured and usable. */
    Optional<char[]> password() {
        return problem == null && password != null ? Optional.of(password.clone()) : Optional.empty();
    }

    /** Where the password came from (for messages), or null. */
    String source() {
        return source;
    }

    public boolean production() {
        return production;
    }

    /** Why no keystore may be opened or created (production mode without a usable password, unreadable file). */
    public Optional<String> refusal() {
        return Optional.ofNullable(problem);
    }

    /** True when the keystore password comes from outside the installation. */
    public boolean external() {
        return problem == null && password != null;
    }
}
