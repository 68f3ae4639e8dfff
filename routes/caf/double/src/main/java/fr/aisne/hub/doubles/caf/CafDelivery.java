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
 */
@Component(immediate = true, configurationPid = "hub.double.caf", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class CafDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(CafDelivery.class);
    private Thread worker;

    @Activate
    void activate(Map<String, Object> config) {
        if (!Boolean.parseBoolean(String.valueOf(config.getOrDefault("deliver.onStart", "true")))) {
            return;
        }
        Path inbox = Paths.get(System.getProperty("karaf.data", "data"))
                .resolve(String.valueOf(config.getOrDefault("inbox.directory", "inbox/caf")));
        int households = Integer.parseInt(String.valueOf(config.getOrDefault("households", "300")));
        long seed = Long.parseLong(String.valueOf(config.getOrDefault("seed", "2026")));
        worker = new Thread(() -> deliver(inbox, households, seed), "caf-double-delivery");
        worker.setDaemon(true);
        worker.start();
    }

    @Deactivate
    void deactivate() {
        if (worker != null) {
            worker.interrupt();
        }
    }

    private static void deliver(Path inbox, int households, long seed) {
        CafFluxGenerator generator = new CafFluxGenerator();
        try {
            Files.createDirectories(inbox);
            Path monthly = drop(inbox, "RSABEM-" + households + "-" + seed + ".xml",
                    generator.toBytes(CafFluxGenerator.monthly(households, seed)));
            awaitTaken(monthly);
            Path daily = drop(inbox, "RSABEI-" + households + "-" + seed + "-day1.xml",
                    generator.toBytes(CafFluxGenerator.daily(households, seed).day(1)));
            awaitTaken(daily);
            drop(inbox, "RSABEI-wrong-totals.xml", BadFlux.wrongTotals());
            LOG.info("CAF double delivered a monthly flux of {} households, a daily flux and a file with wrong totals",
                    households);
        } catch (IOException e) {
            LOG.warn("CAF double could not deliver into {}: {}", inbox, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path drop(Path inbox, String name, byte[] content) throws IOException {
        Path tmp = inbox.resolve("." + name + ".part");
        Files.write(tmp, content);
        return Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits (at most two minutes) until the hub has taken the file out of the inbox. */
    private static void awaitTaken(Path file) throws InterruptedException {
        for (int i = 0; i < 240 && Files.exists(file); i++) {
            Thread.sleep(500);
        }
    }
}
