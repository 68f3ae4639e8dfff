package fr.aisne.hub.api;

/** A connector's view of its partner: UP or DOWN, with a detail an operator can act on. */
public record Health(boolean up, String detail) {

    public static Health up(String detail) {
        return new Health(true, detail == null ? "" : detail);
    }

    public static Health down(String detail) {
        return new Health(false, detail == null ? "" : detail);
    }

    public String status() {
        return up ? "UP" : "DOWN";
    }
}
