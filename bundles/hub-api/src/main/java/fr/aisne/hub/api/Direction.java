package fr.aisne.hub.api;

/** Seen from the hub: INBOUND enters the hub from a partner, OUTBOUND leaves it for a partner. */
public enum Direction {
    INBOUND("in"), OUTBOUND("out");

    private final String queueSegment;

    Direction(String queueSegment) {
        this.queueSegment = queueSegment;
    }

    public String queueSegment() {
        return queueSegment;
    }
}
