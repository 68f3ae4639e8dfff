package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * One sender role per partner: an account that may post into the echo flows cannot post into France Travail's (which
 * choose the agent identity sent to France Travail), and the France Travail sender can. Accounts written in
 * etc/users.properties in clear (hashed by the realm at their first login), and one with an unsalted SHA-512 digest
 * of an earlier version (re-hashed at its first login).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SenderRolesIT extends HubTestSupport {
    private static final String ECHO_PW = "Echo-partner-pw-" + 17;
    private static final String FT_PW = "Ft-sender-pw-" + 23;
    private static final String LEGACY_PW = "Legacy-viewer-pw-" + 5;

    @Configuration
    public Option[] config() throws Exception {
        String legacy = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512")
                .digest(LEGACY_PW.getBytes(StandardCharsets.UTF_8)));
        return OptionUtils.combine(hubDistribution(),
                editConfigurationFilePut("etc/users.properties", "partner-echo", ECHO_PW + ",sender-echo"),
                editConfigurationFilePut("etc/users.properties", "departement-ft", FT_PW + ",sender-france-travail"),
                editConfigurationFilePut("etc/users.properties", "legacy-viewer", "{CRYPT}" + legacy + "{CRYPT},viewer"));
    }

    /** A login to the realm "karaf" as the hub's HTTP path makes it. */
    private static boolean jaasLogin(String user, String password) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(org.apache.karaf.jaas.boot.ProxyLoginModule.class.getClassLoader());
        try {
            new javax.security.auth.login.LoginContext("karaf", callbacks -> {
                for (javax.security.auth.callback.Callback cb : callbacks) {
                    if (cb instanceof javax.security.auth.callback.NameCallback n) {
                        n.setName(user);
                    } else if (cb instanceof javax.security.auth.callback.PasswordCallback p) {
                        p.setPassword(password.toCharArray());
                    }
                }
            }).login();
            return true;
        } catch (javax.security.auth.login.LoginException e) {
            return false;
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static HubHttp as(String user, String password) {
        return new HubHttp("http://127.0.0.1:" + HTTP_PORT, user, password);
    }

    @Test
    public void aPartnersSenderRoleOpensItsOwnFlowsOnly() throws Exception {
        installFeature("hub-double-echo");
        installFeature("hub-connector-echo");
        installFeature("hub-connector-francetravail");
        HubHttp.await("echo and france-travail connectors installed", Duration.ofSeconds(60), () -> {
            String c = http().get("/hub/api/connectors").body();
            return c.contains("\"id\":\"echo\"") && c.contains("\"id\":\"france-travail\"");
        });
        String orientation = "{\"personId\":\"" + UUID.randomUUID() + "\",\"parcours\":\"PE\",\"origine\":\"PRESCRIPTION\","
                + "\"agent\":{\"id\":\"X999\",\"nom\":\"Usurpe\",\"prenom\":\"Agent\"}}";

        HubHttp echoPartner = as("partner-echo", ECHO_PW);
        long t0 = System.nanoTime();
        HubHttp.Response onFt = echoPartner.post("/hub/in/france-travail/orientation", orientation);
        long first = System.nanoTime() - t0;
        assertEquals("sender-echo on France Travail's flow: " + onFt.body(), 403, onFt.status());
        HubHttp.Response onEcho = echoPartner.post("/hub/in/echo/relay", "{\"tag\":\"roles\"}");
        assertEquals("sender-echo on its own flow: " + onEcho.body(), 202, onEcho.status());
        // repeated calls are answered from the authenticator's one-minute cache, not a new PBKDF2 check each
        long[] repeated = new long[20];
        for (int i = 0; i < repeated.length; i++) {
            long t = System.nanoTime();
            assertEquals(202, echoPartner.post("/hub/in/echo/relay", "{\"tag\":\"roles-" + i + "\"}").status());
            repeated[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(repeated);
        System.out.println("FIGURE http-basic-first-login-ms=" + first / 1_000_000 + " repeated-post-median-ms="
                + repeated[repeated.length / 2] / 1_000_000);

        HubHttp.Response byFtSender = as("departement-ft", FT_PW).post("/hub/in/france-travail/orientation", orientation);
        assertFalse("sender-france-travail is let in (then validated): " + byFtSender.status() + " " + byFtSender.body(),
                byFtSender.status() == 401 || byFtSender.status() == 403);
        HubHttp.Response ftOnEcho = as("departement-ft", FT_PW).post("/hub/in/echo/relay", "{\"tag\":\"roles\"}");
        assertEquals(403, ftOnEcho.status());

        String users = Files.readString(Paths.get(System.getProperty("karaf.etc"), "users.properties"));
        assertFalse("clear passwords were hashed at first login", users.contains(ECHO_PW) || users.contains(FT_PW));
        assertTrue(users, users.matches("(?s).*partner-echo\\s*=\\s*\\{CRYPT\\}pbkdf2-sha256\\$.*"));
    }

    @Test
    public void anAccountWithAnUnsaltedSha512PasswordLogsInOnceAndIsRehashed() throws Exception {
        Path users = Paths.get(System.getProperty("karaf.etc"), "users.properties");
        String before = Files.readString(users);
        assertTrue(before, before.matches("(?s).*legacy-viewer\\s*=\\s*\\{CRYPT\\}[0-9a-f]{128}\\{CRYPT\\},viewer.*"));

        assertEquals(200, as("legacy-viewer", LEGACY_PW).get("/hub/api/messages?limit=1").status());

        String after = Files.readString(users);
        assertTrue(after, after.matches("(?s).*legacy-viewer\\s*=\\s*\\{CRYPT\\}pbkdf2-sha256\\$600000\\$[^,]+\\{CRYPT\\},viewer.*"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        // the realm itself (HTTP would answer from its one-minute cache): the new hash verifies, a wrong password not
        assertTrue(jaasLogin("legacy-viewer", LEGACY_PW));
        assertFalse(jaasLogin("legacy-viewer", "wrong"));
        assertEquals(401, as("legacy-viewer", "wrong").get("/hub/api/messages?limit=1").status());
    }
}
