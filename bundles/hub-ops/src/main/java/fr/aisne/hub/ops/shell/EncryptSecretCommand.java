package fr.aisne.hub.ops.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import fr.aisne.hub.api.operations.HubOperations;
import org.apache.karaf.shell.api.console.Session;


/**
 * {@code hub:encrypt-secret}: prints the ENC(...) form of a value (a client secret) for a settings file, with the
 * key of etc/hub-secrets.p12 (created at first use). Without an argument the value is asked for without echo, so
 * that it stays out of the shell history.
 */
@Command(scope = "hub", name = "encrypt-secret", description = "Encrypts a secret for a connector settings file (ENC(...))")
@Service
public class EncryptSecretCommand implements Action {
    @Reference
    Session session;

    @Reference
    HubOperations hub;

    @Argument(index = 0, name = "value", required = false,
            description = "the value to encrypt; better left out: it is then asked for without echo")
    String value;

    @Override
    public Object execute() throws Exception {
        String plain = value;
        if (plain == null) {
            plain = session.readLine("Secret to encrypt (not echoed): ", '*');
        }
        if (plain == null || plain.isEmpty()) {
            System.err.println("Nothing to encrypt");
            return null;
        }
        String sealed = hub.secrets().sealSetting(plain);
        System.out.println(sealed);
        System.out.println("Put it in the settings file, e.g. client.secret = " + sealed);
        return null;
    }
}
