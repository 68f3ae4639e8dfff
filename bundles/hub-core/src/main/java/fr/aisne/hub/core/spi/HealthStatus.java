package fr.aisne.hub.core.spi;

/** Health of one component: broker, database, or a connector. */
public record HealthStatus(String component, boolean up, String detail) {

    public static HealthStatus up(String component) {
        return new HealthStatus(component, true, "");
    }

    public static HealthStatus up(String component, String detail) {
        return new HealthStatus(component, true, detail);
    }

    public static HealthStatus down(String component, String detail) {
        return new HealthStatus(component, false, detail);
    }

    public String status() {
        return up ? "UP" : "DOWN";
    }
}
