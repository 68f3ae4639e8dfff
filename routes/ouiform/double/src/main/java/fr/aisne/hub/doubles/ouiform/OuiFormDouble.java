package fr.aisne.hub.doubles.ouiform;

import java.time.Clock;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local stand-in for the Région Hauts-de-France's OuiForm platform, speaking the Région's side of the OuiForm contract
 * v1 (docs/contracts/ouiform/), in its own CamelContext on its own port (settings {@code etc/hub.double.ouiform.cfg},
 * default {@code http://127.0.0.1:8686}). Never installed in production.
 * <ul>
 * <li>{@code /ouiform/soap/v1}: SOAP (CXF, contract first, PAYLOAD mode), {@code ?wsdl} served: soumettrePrescription,
 * consulterPrescription;</li>
 * <li>{@code /ouiform/api/v1/prescriptions}: the same operations in REST/JSON;</li>
 * <li>status events sent to the hub's side (notifierStatut / {@code POST /v1/prescriptions/{id}/statuts}):
 * positionne a few seconds after prescrit, entre at the session's start, any status on demand;</li>
 * <li>{@code /double/...}: control (latency, outage, faults, disconnection, statuses, publication), stats, what was
 * received and sent, the weekly LHEO 2.3 catalogue.</li>
 * </ul>
 * A changed settings file re-creates the component (no {@code @Modified}): state is then lost, as in a restart.
 */
@Component(immediate = true, configurationPid = "hub.double.ouiform",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {})
public class OuiFormDouble {
    private static final Logger LOG = LoggerFactory.getLogger(OuiFormDouble.class);

    private OuiFormServer server;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        Settings settings = Settings.from(config);
        server = new OuiFormServer(settings, Clock.systemUTC());
        server.start();
        LOG.info("OuiForm double listening on {} (SOAP {}, REST {}/v1, {} account(s), {})", server.baseUrl(),
                SoapService.PATH, RestApi.BASE, settings.accounts().size(), settings);
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
        LOG.info("OuiForm double stopped");
    }
}
