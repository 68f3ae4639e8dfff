package fr.aisne.hub.doubles.francetravail;

import java.time.Clock;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local stand-in for the France Travail partner APIs, in its own CamelContext and on its own port (settings
 * {@code etc/hub.double.francetravail.cfg}, default {@code http://127.0.0.1:8383}). Never installed in production.
 * <ul>
 * <li>{@code POST /connexion/oauth2/access_token?realm=/partenaire}: OAuth2 client credentials, short-lived
 * opaque tokens, scope checks ({@link Scopes});</li>
 * <li>{@code POST /partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir} and
 * {@code .../par-numero-francetravail}: business codes chosen by the NIR itself (rule in {@link Fixtures});</li>
 * <li>person-scoped calls with {@code ft-jeton-usager} and the {@code pa-*} agent headers: orientation (push and
 * read back), informations administratives, contrat, RQTH, rendez-vous (create, update, cancel);</li>
 * <li>{@code GET|POST /double/control}, {@code POST /double/control/reset}, {@code POST /double/control/usagers},
 * {@code GET /double/stats}: injected rate limit, 429s, latency and outage; persons registered explicitly;
 * counters.</li>
 * </ul>
 * A changed settings file re-creates the component (no {@code @Modified}): state is then lost, as in a restart.
 */
@Component(immediate = true, configurationPid = "hub.double.francetravail",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {})
public class FranceTravailDouble {
    private static final Logger LOG = LoggerFactory.getLogger(FranceTravailDouble.class);

    private FranceTravailServer server;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        Settings settings = Settings.from(config);
        server = new FranceTravailServer(settings, Clock.systemUTC());
        server.start();
        LOG.info("France Travail double listening on {} ({} client(s), token {} s, jeton {} s, {})", server.baseUrl(),
                settings.clients().size(), settings.tokenExpiresSeconds(), settings.jetonExpiresSeconds(),
                settings.behaviour());
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
        LOG.info("France Travail double stopped");
    }
}
