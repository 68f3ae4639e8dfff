package fr.aisne.hub.connector.caf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.doubles.caf.CafDelivery;
import fr.aisne.hub.doubles.caf.CafPgpKeys;

/**
 * The double as the demo and the Pax Exam scenario install it ({@code etc/hub.double.caf.cfg} with
 * {@code sftp.enabled=true}, {@code deliver.to=sftp}, {@code pgp.encrypt=true}): it generates its host key,
 * a demo client key for the hub and the OpenPGP keys under data/doubles/caf/, and publishes a monthly flux,
 * a daily flux and a file with wrong totals, signed and encrypted, one after the other as the hub takes
 * them. The hub's side is configured only from those generated files, as an operator would.
 */
public class CafDoubleSftpDeliveryTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Object delivery;

    @After
    public void stop() throws Exception {
        if (delivery != null) {
            call("deactivate");
        }
        System.clearProperty("karaf.data");
    }

    @Test
    public void theDoublesSftpDeliveriesArePickedUpAndOpened() throws Exception {
        Path data = tmp.newFolder("data").toPath();
        Path etc = tmp.newFolder("etc").toPath();
        System.setProperty("karaf.data", data.toString());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("sftp.enabled", "true");
        cfg.put("sftp.port", String.valueOf(port));
        cfg.put("deliver.to", "sftp");
        cfg.put("pgp.encrypt", "true");
        cfg.put("households", "20");
        delivery = new CafDelivery();
        call("activate", cfg);

        // What the operator copies to the hub's etc/ (the Pax Exam scenario does the same), once the double
        // has published its first file (its OpenPGP keys are generated first, in the background)
        Path doubles = data.resolve("doubles/caf");
        long ready = System.nanoTime() + 60_000_000_000L;
        while (files(doubles.resolve("sftp/depot")).isEmpty() && System.nanoTime() < ready) {
            Thread.sleep(100);
        }
        Files.copy(doubles.resolve("hub-caf-sftp.key"), etc.resolve("hub-caf-sftp.key"));
        String hostKey = Files.readString(doubles.resolve("ssh_host_ecdsa_key.pub"), StandardCharsets.US_ASCII);
        Files.writeString(etc.resolve("caf_known_hosts"), "[127.0.0.1]:" + port + " " + hostKey);
        Path pgp = doubles.resolve("pgp");
        Files.copy(pgp.resolve("departement.sec.asc"), etc.resolve("hub-caf-pgp.sec.asc"));
        Files.copy(pgp.resolve("departement.passphrase"), etc.resolve("hub-caf-pgp.passphrase"));
        Files.copy(pgp.resolve("caf.pub.asc"), etc.resolve("caf-pgp.pub.asc"));
        Map<String, Object> hub = Map.of("sftp.enabled", "true", "sftp.port", String.valueOf(port), "sftp.knownHosts",
                "caf_known_hosts", "pgp.secretKeyRing", "hub-caf-pgp.sec.asc", "pgp.passphraseFile",
                "hub-caf-pgp.passphrase", "pgp.partnerPublicKey", "caf-pgp.pub.asc");
        Path inbox = data.resolve("inbox/caf");
        List<String> toHub = new ArrayList<>();
        try (CafSftpPickup pickup = new CafSftpPickup(CafSftpPickup.Config.from(hub, etc, data, inbox))) {
            CafPgpIntake intake = new CafPgpIntake(CafPgp.fromSettings(hub, etc, Long.MAX_VALUE), false,
                    data.resolve("staging/caf/pgp"), data.resolve("quarantine/caf"), (file, name, reason) -> { });
            long end = System.nanoTime() + 120_000_000_000L;
            while (toHub.size() < 3 && System.nanoTime() < end) {
                pickup.poll();
                assertTrue(pickup.describe(), pickup.healthy());
                for (Path f : files(inbox)) {
                    String name = f.getFileName().toString();
                    assertTrue(name, intake.take(f, name,
                            (in, plain) -> toHub.add(plain + " " + in.readAllBytes().length)));
                    Files.delete(f);
                }
                Thread.sleep(200);
            }
        }
        assertEquals(3, toHub.size());
        assertTrue(toHub.toString(), toHub.get(0).startsWith("RSABEM-20-2026.xml "));
        assertTrue(toHub.toString(), toHub.get(1).startsWith("RSABEI-20-2026-day1.xml "));
        assertTrue(toHub.toString(), toHub.get(2).startsWith("RSABEI-wrong-totals.xml "));
        assertTrue(Files.exists(pgp.resolve(CafPgpKeys.STRANGER + ".sec.asc")));
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private void call(String name, Object... args) throws Exception {
        Method m = args.length == 0 ? CafDelivery.class.getDeclaredMethod(name)
                : CafDelivery.class.getDeclaredMethod(name, Map.class);
        m.setAccessible(true);
        m.invoke(delivery, args);
    }
}
