package fr.aisne.hub.api;

/**
 * What a delivery did, journaled with the final state: DELIVERED with a detail (what was done), or IGNORED
 * with the reason (out of the department's scope: nothing stored, nothing sent).
 */
public record DeliveryResult(boolean ignored, String detail) {

    public static DeliveryResult delivered(String detail) {
        return new DeliveryResult(false, detail);
    }

    public static DeliveryResult ignored(String reason) {
        return new DeliveryResult(true, reason);
    }
}
