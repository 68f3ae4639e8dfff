package fr.aisne.hub.doubles.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.Test;

/** The DS component as Karaf drives it: activate with the settings map, deactivate. */
public class FranceTravailDoubleTest {

    @Test
    public void activateListensAndDeactivateFreesThePort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        FranceTravailDouble component = new FranceTravailDouble();
        component.activate(Map.of("http.port", String.valueOf(port), "service.pid", "hub.double.francetravail"));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest stats = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/double/stats")).build();
        try {
            HttpResponse<String> r = http.send(stats, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            HttpRequest token = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/connexion/oauth2/access_token?realm=/partenaire"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=aisne-hub"
                            + "&client_secret=double-secret-change-me&scope=api_rechercher-usagerv2%20rechercheusager"))
                    .build();
            assertEquals(200, http.send(token, HttpResponse.BodyHandlers.ofString()).statusCode());
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
