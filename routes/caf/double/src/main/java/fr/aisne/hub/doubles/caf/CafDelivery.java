package fr.aisne.hub.doubles.caf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CAF's deliveries, for the demo: when installed, drops a monthly flux into the CAF inbox, then (once
 * the hub has taken it) the next day's daily flux, then a file with wrong control totals. Files are
 * written under a temporary name and renamed, as a careful transfer would. Settings: etc/hub.double.caf.cfg
 * (inbox.directory under data/, households, seed, deliver.onStart).
 * <p>
 * With {@code sftp.enabled=true} it also runs the CAF's SFTP server ({@link CafSftpServer}, settings
 * {@code sftp.*}, files under {@code data/doubles/caf/}); {@code deliver.to=sftp} then publishes the same
 * deliveries into its {@code /depot/} instead of the inbox, signed and encrypted when
 * {@code pgp.encrypt=true} (keys generated at first start in {@code pgp.directory}, see {@link CafPgpKeys}; they
 * are complete when the first file appears in the depot).
 * When the authorized_keys file does not exist, a demo client key for the hub is generated next to it
 * ({@code hub-caf-sftp.key}: copy it to the hub's {@code etc/}). The defaults (no SFTP, inbox) keep the
 * original demo unchanged. It also takes the department's sanction request files ({@link SanctionInbox}).
 */
@Component(immediate = true, configurationPid = "hub.double.caf", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class CafDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(CafDelivery.class);
    private Thread worker;
    private CafSftpServer sftp;
    private SanctionInbox sanctions;

    @Activate
    void activate(Map<String, Object> config) {
        Path data = Paths.get(System.getProperty("karaf.data", "data"));
        if (Boolean.parseBoolean(setting(config, "sftp.enabled", "false"))) {
            sftp = startSftp(config, data);
        }
        long sanctionPoll = Long.parseLong(setting(config, "sanctions.pollSeconds", "2"));
        if (sanctionPoll > 0) {
            sanctions = new SanctionInbox(data.resolve(setting(config, "sanctions.directory", "outbox/caf-sanctions")),
                    sanctionPoll);
        }
        if (!Boolean.parseBoolean(setting(config, "deliver.onStart", "true"))) {
            return;
        }
        boolean toSftp = "sftp".equalsIgnoreCase(setting(config, "deliver.to", "inbox"));
        if (toSftp && sftp == null) {
            LOG.warn("CAF double: deliver.to=sftp but the SFTP server is not running (sftp.enabled); "
                    + "nothing delivered");
            return;
        }
        Path target = toSftp ? sftp.depot() : data.resolve(setting(config, "inbox.directory", "inbox/caf"));
        int households = Integer.parseInt(setting(config, "households", "300"));
        long seed = Long.parseLong(setting(config, "seed", "2026"));
        boolean armor = Boolean.parseBoolean(setting(config, "pgp.armor", "false"));
        Path pgpKeys = Boolean.parseBoolean(setting(config, "pgp.encrypt", "false"))
                ? data.resolve(setting(config, "pgp.directory", "doubles/caf/pgp")) : null;
        worker = new Thread(() -> {
            CafPgpSealer sealer = null;
            if (pgpKeys != null) {
                try {
                    sealer = CafPgpSealer.of(CafPgpKeys.ensure(pgpKeys)); // first start: a few seconds of RSA
                } catch (IOException | RuntimeException e) {
                    LOG.warn("CAF double: OpenPGP keys unusable, nothing delivered: {}", e.getMessage());
                    return;
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                return; // deactivated meanwhile
            }
            deliver(target, households, seed, sealer, armor);
        }, "caf-double-delivery");
        worker.setDaemon(true);
        worker.start();
    }

    @Deactivate
    void deactivate() {
        if (worker != null) {
            worker.interrupt();
        }
        if (sanctions != null) {
            sanctions.close();
        }
        if (sftp != null) {
            try {
                sftp.close();
            } catch (IOException e) {
                LOG.warn("CAF double SFTP server did not stop cleanly: {}", e.getMessage());
            }
        }
    }

    private static CafSftpServer startSftp(Map<String, Object> config, Path data) {
        Path dir = data.resolve(setting(config, "sftp.directory", "doubles/caf"));
        CafSftpServer.Config c = CafSftpServer.Config.defaults(dir);
        Path authorized = data.resolve(setting(config, "sftp.authorizedKeys", c.authorizedKeys().toString()));
        c = new CafSftpServer.Config(setting(config, "sftp.host", c.host()),
                Integer.parseInt(setting(config, "sftp.port", String.valueOf(c.port()))),
                setting(config, "sftp.user", c.user()), c.root(), c.hostKey(), authorized);
        try {
            Path demoKey = dir.resolve("hub-caf-sftp.key");
            if (CafSshKeys.ensureClientKey(authorized, demoKey)) {
                LOG.info("CAF double: no {} yet; a demo client key was generated and authorized: {} (copy it to the "
                        + "hub's etc/ as sftp.privateKey)", authorized, demoKey);
            }
            return new CafSftpServer(c).start();
        } catch (IOException | RuntimeException e) {
            LOG.warn("CAF double SFTP server could not start on {}:{}: {}", c.host(), c.port(), e.getMessage());
            return null;
        }
    }

    private static String setting(Map<String, Object> config, String key, String defaultValue) {
        Object v = config.get(key);
        return v == null || v.toString().isBlank() ? defaultValue : v.toString().trim();
    }

    private static void deliver(Path target, int households, long seed, CafPgpSealer sealer, boolean armor) {
        CafFluxGenerator generator = new CafFluxGenerator();
        try {
            Files.createDirectories(target);
            Path monthly = drop(target, "RSABEM-" + households + "-" + seed + ".xml",
                    generator.toBytes(CafFluxGenerator.monthly(households, seed)), sealer, armor);
            awaitTaken(monthly);
            Path daily = drop(target, "RSABEI-" + households + "-" + seed + "-day1.xml",
                    generator.toBytes(CafFluxGenerator.daily(households, seed).day(1)), sealer, armor);
            awaitTaken(daily);
            drop(target, "RSABEI-wrong-totals.xml", BadFlux.wrongTotals(), sealer, armor);
            LOG.info("CAF double delivered a monthly flux of {} households, a daily flux and a file with wrong totals"
                    + " into {}{}", households, target, sealer == null ? "" : " (signed and encrypted)");
        } catch (IOException e) {
            LOG.warn("CAF double could not deliver into {}: {}", target, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path drop(Path target, String name, byte[] content, CafPgpSealer sealer, boolean armor)
            throws IOException {
        if (sealer != null) {
            content = sealer.seal(content, name, armor, CafPgpSealer.Defect.NONE);
            name = name + (armor ? ".asc" : ".pgp");
        }
        return drop(target, name, content);
    }

    private static Path drop(Path inbox, String name, byte[] content) throws IOException {
        Path tmp = inbox.resolve("." + name + ".part");
        Files.write(tmp, content);
        return Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Waits (at most five minutes: an SFTP pickup sees a file unchanged twice before taking it) until the hub
     * has taken the file.
     */
    private static void awaitTaken(Path file) throws InterruptedException {
        for (int i = 0; i < 600 && Files.exists(file); i++) {
            Thread.sleep(500);
        }
    }
}
