package fr.aisne.hub.core.security;

import java.util.Map;

import org.apache.karaf.jaas.modules.Encryption;
import org.apache.karaf.jaas.modules.EncryptionService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

import fr.aisne.hub.api.Settings;

/**
 * Karaf's JAAS password encryption for the hub: {@code encryption.name = hub-pbkdf2} in
 * etc/org.apache.karaf.jaas.cfg makes the "karaf" realm (shell, ssh, operations API, broker) store and check
 * passwords with {@link PasswordHashes} (salted PBKDF2-HMAC-SHA256, {@code password.iterations} of etc/hub.core.cfg).
 * Karaf's AutoEncryptionSupport and the core ({@link AdminAccountBootstrap}) hash through it a password an operator typed
 * in clear in etc/users.properties, and {@code jaas:user-add} the passwords it sets (also how a password is changed). Unsalted SHA-512 digests of earlier versions still
 * verify; {@link HubLoginModule} re-hashes them at their next successful login.
 */
@Component(service = EncryptionService.class, configurationPid = "hub.core", property = "name=" + HubPasswordEncryption.NAME)
public class HubPasswordEncryption implements EncryptionService {
    public static final String NAME = "hub-pbkdf2";
    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static volatile int iterations = PasswordHashes.DEFAULT_ITERATIONS;

    /**
     * A change of etc/hub.core.cfg updates the cost in place: the service stays registered, so the core, which holds
     * a static reference to it, is not stopped a second time for one change.
     */
    @Activate
    @Modified
    void activate(Map<String, Object> config) {
        iterations = iterations(Settings.of(config, "etc/hub.core.cfg"));
    }

    /** {@code password.iterations} of etc/hub.core.cfg: the cost of new hashes. */
    public static int iterations(Settings s) {
        return s.integer("password.iterations", PasswordHashes.DEFAULT_ITERATIONS, PasswordHashes.MIN_ITERATIONS,
                100_000_000);
    }

    /** The iteration count new hashes get. */
    static int currentIterations() {
        return iterations;
    }

    @Override
    public Encryption createEncryption(Map<String, String> options) {
        String algorithm = options.get("algorithm");
        if (algorithm != null && !algorithm.isBlank() && !ALGORITHM.equalsIgnoreCase(algorithm.strip())) {
            throw new IllegalArgumentException("encryption.name = " + NAME + " supports encryption.algorithm = "
                    + ALGORITHM + " only (etc/org.apache.karaf.jaas.cfg)");
        }
        int cost = iterations;
        return new Encryption() {
            @Override
            public String encryptPassword(String password) {
                return PasswordHashes.hash(password, cost);
            }

            @Override
            public boolean checkPassword(String input, String stored) {
                return PasswordHashes.verify(input, stored);
            }
        };
    }
}
