package fr.aisne.hub.api.operations;

/** Health of a platform component (broker, database, disk) or of a connector ("connector:<id>"). */
public record ComponentHealth(String component, boolean up, String detail) {

    public String status() {
        return up ? "UP" : "DOWN";
    }
}
