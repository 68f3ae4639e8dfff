package fr.aisne.hub.doubles.urssaf;

import java.time.Clock;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local stand-in for the department's payroll/DSN service, the receiving side of the hub's AT/MP declaration contract
 * v1 (docs/contracts/urssaf/): SOAP through CXF on its own port (settings {@code etc/hub.double.urssaf.cfg}, default
 * {@code http://127.0.0.1:8787/paie/atmp/v1}, {@code ?wsdl} served). It validates each declaration (schema, declarant,
 * CTP codes, amounts, totals, evidence digests and hours) and answers an acknowledgement or a precise rejection;
 * consulterDepot tells what it accepted. Never installed in production.
 */
@Component(immediate = true, configurationPid = "hub.double.urssaf", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class UrssafPayrollDouble {
    private static final Logger LOG = LoggerFactory.getLogger(UrssafPayrollDouble.class);

    private PayrollServer server;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        DoubleSettings settings = DoubleSettings.from(config);
        server = new PayrollServer(settings, Clock.systemUTC());
        server.start();
        LOG.info("URSSAF payroll double listening on {} (CTP codes {}, {} account(s))", server.address(),
                settings.ctpKnown(), settings.accounts().size());
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
        LOG.info("URSSAF payroll double stopped");
    }
}
