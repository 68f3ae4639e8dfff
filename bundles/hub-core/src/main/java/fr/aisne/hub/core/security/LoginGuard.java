package fr.aisne.hub.core.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import fr.aisne.hub.api.Settings;

/**
 * Puts {@link HubLoginModule} in front of Karaf's JAAS realm "karaf" (every login of the shell over ssh, the
 * operations API and the broker), without replacing it: registers a realm of the same name ranked just above the
 * best other one, whose entries are the hub's module (REQUISITE) followed by that realm's own entries, read at each
 * login (so etc/org.apache.karaf.jaas.cfg changes still apply).
 * <p>
 * Karaf 4.4's ssh server has no login throttle of its own (etc/org.apache.karaf.shell.cfg offers none). The limits
 * apply to logins whose source Karaf's ssh server names (a {@code ClientPrincipal}): at most
 * {@code ssh.login.maxFailures} failed passwords per source address and {@code ssh.login.accountMaxFailures} per
 * account within {@code ssh.login.windowSeconds}; beyond, every login of that source or account is refused until
 * the window ends, a right password included. A success does not clear the counts. HTTP logins are throttled per
 * address by {@link LoginThrottle} before JAAS is asked, and not counted here, so guessing over ssh cannot lock a
 * partner out of the operations API or its flows.
 */
@Component(immediate = true, configurationPid = "hub.core", service = {})
public class LoginGuard {
    static final String GUARD_PROPERTY = "hub.login.guard";
    static final String REALM = "karaf";
    private static final String PROPERTIES_MODULE = "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule";
    private static volatile Limits limits;

    /** The two counts, shared by every {@link HubLoginModule} instance. */
    record Limits(LoginThrottle bySource, LoginThrottle byAccount) {
        /** Reserves a check for a password of {@code account} from {@code source}: 0, or the seconds to wait. */
        long begin(String account, String source) {
            long wait = bySource.begin(source);
            if (wait > 0) {
                return wait;
            }
            wait = byAccount.begin(account);
            if (wait > 0) {
                bySource.finish(source, false);
            }
            return wait;
        }

        void finish(String account, String source, boolean failed) {
            bySource.finish(source, failed);
            byAccount.finish(account, failed);
        }

        /** The seconds to wait, without reserving a check (a public key attempt). */
        long blocked(String account, String source) {
            return Math.max(bySource.blocked(source), byAccount.blocked(account));
        }
    }

    private final List<JaasRealm> realms = new CopyOnWriteArrayList<>();
    private ServiceRegistration<JaasRealm> registration;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(!(" + GUARD_PROPERTY + "=true))", unbind = "removeRealm")
    void addRealm(JaasRealm realm) {
        realms.add(realm);
    }

    void removeRealm(JaasRealm realm) {
        realms.remove(realm);
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> config) {
        Settings s = Settings.of(config, "etc/hub.core.cfg");
        Duration window = Duration.ofSeconds(s.integer("ssh.login.windowSeconds", 300, 1, 86_400));
        limits = new Limits(new LoginThrottle(s.integer("ssh.login.maxFailures", 5, 1, 1_000_000), window,
                Clock.systemUTC()), new LoginThrottle(s.integer("ssh.login.accountMaxFailures", 10, 1, 1_000_000),
                        window, Clock.systemUTC()));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(GUARD_PROPERTY, "true");
        registration = context.registerService(JaasRealm.class,
                new GuardedRealm(realms, context.getBundle().getBundleId()), props);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
    }

    /** The limits in force, or null before this component started. */
    static Limits limits() {
        return limits;
    }

    /** For tests: the limits every module instance uses from now on. */
    static void useLimits(Limits l) {
        limits = l;
    }

    /** Karaf's realm with the hub's module in front. */
    static final class GuardedRealm implements JaasRealm {
        private final List<JaasRealm> others;
        private final long bundleId;

        GuardedRealm(List<JaasRealm> others, long bundleId) {
            this.others = others;
            this.bundleId = bundleId;
        }

        private JaasRealm delegate() {
            JaasRealm best = null;
            for (JaasRealm r : others) {
                if (REALM.equals(r.getName()) && (best == null || r.getRank() > best.getRank())) {
                    best = r;
                }
            }
            return best;
        }

        @Override
        public String getName() {
            return REALM;
        }

        @Override
        public int getRank() {
            JaasRealm d = delegate();
            return d == null ? Integer.MIN_VALUE : d.getRank() + 1;
        }

        @Override
        public AppConfigurationEntry[] getEntries() {
            JaasRealm d = delegate();
            if (d == null) {
                return new AppConfigurationEntry[0];
            }
            AppConfigurationEntry[] inner = d.getEntries();
            Map<String, Object> options = new java.util.HashMap<>();
            options.put(ProxyLoginModule.PROPERTY_MODULE, HubLoginModule.class.getName());
            options.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(bundleId));
            for (AppConfigurationEntry e : inner) {
                if (PROPERTIES_MODULE.equals(e.getOptions().get(ProxyLoginModule.PROPERTY_MODULE))) {
                    for (String key : List.of("users", "encryption.name", "encryption.enabled", "encryption.prefix",
                            "encryption.suffix")) {
                        Object v = e.getOptions().get(key);
                        if (v != null) {
                            options.put(key, v.toString());
                        }
                    }
                }
            }
            List<AppConfigurationEntry> out = new ArrayList<>();
            out.add(new AppConfigurationEntry(ProxyLoginModule.class.getName(), LoginModuleControlFlag.REQUISITE,
                    options));
            out.addAll(List.of(inner));
            return out.toArray(new AppConfigurationEntry[0]);
        }
    }
}
