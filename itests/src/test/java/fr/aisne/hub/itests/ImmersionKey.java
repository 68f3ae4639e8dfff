package fr.aisne.hub.itests;

/** The Immersion Facilitée double's aisne-hub key with its default jwt.secret (routes/immersion-facilitee/README.md). */
final class ImmersionKey {
    static final String KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6ImExNWUwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDBhMSIs"
            + "InZlcnNpb24iOjEsImlhdCI6MTczNTY4OTYwMH0.vI-3p4IcrYN_0eQaqZjJZTWMDU823FM0s7nar2bx3hw";

    private ImmersionKey() {
    }
}
