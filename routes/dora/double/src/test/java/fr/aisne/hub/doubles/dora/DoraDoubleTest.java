package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.Test;

/** The DS component as Karaf drives it: activate with the settings map, deactivate. */
public class DoraDoubleTest {

    @Test
    public void activateListensAndDeactivateFreesThePort() throws Exception {
        int port = DoubleTestSupport.freePort();
        DoraDouble component = new DoraDouble();
        component.activate(Map.of("http.port", String.valueOf(port), "service.pid", "hub.double.dora",
                "felix.fileinstall.filename", "file:/opt/hub/etc/hub.double.dora.cfg"));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest stats = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/double/stats")).build();
        try {
            assertEquals(200, http.send(stats, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpRequest services = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/services?size=1")).header("Authorization", "Bearer " + DoubleTestSupport.API_TOKEN).build();
            assertEquals(200, http.send(services, HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            component.deactivate();
        }
        try {
            http.send(stats, HttpResponse.BodyHandlers.ofString());
            fail("still listening after deactivate");
        } catch (ConnectException expected) {
            // stopped
        }
    }
}
