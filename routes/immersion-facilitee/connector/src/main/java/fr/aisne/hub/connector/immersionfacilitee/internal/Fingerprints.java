package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Day;

/**
 * Keyed digests (HMAC-SHA-256) of what the hub reads: the same read gives the same fingerprint, and nothing can be
 * learnt back from one without the key (kept sealed by the hub's Secrets in {@code if_state}, created at first start).
 * A fingerprint covers everything the hub keeps or matches on (the beneficiary's names and birth date included) and
 * nothing it drops: not {@code isRqth}, not the contacts.
 */
final class Fingerprints {
    static final String STATE = "fingerprint.key";
    private static final String USE = "immersion-facilitee/fingerprint-key";

    private final byte[] key;

    Fingerprints(byte[] key) {
        this.key = key.clone();
    }

    /** The key kept in the connector's state, created (32 random bytes) the first time. */
    static Fingerprints load(ConventionStore store, Secrets secrets) {
        var sealed = store.state(STATE);
        if (sealed.isPresent()) {
            return new Fingerprints(Base64.getDecoder().decode(secrets.open(sealed.get(), USE)));
        }
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        store.state(STATE, secrets.seal(Base64.getEncoder().encodeToString(k), USE));
        // two deliveries may race at the very first start: whichever key was written last is the one kept
        return new Fingerprints(Base64.getDecoder().decode(secrets.open(store.state(STATE).orElseThrow(), USE)));
    }

    /** The fingerprint of a convention as the hub reads it. */
    String of(Convention c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", c.key());
        m.put("status", c.status());
        m.put("prescriber", c.prescriber() == null ? null : List.of(nz(c.prescriber().agencyId()),
                nz(c.prescriber().agencyKind()), nz(c.prescriber().agencyDepartment()), nz(c.prescriber().agencySiret()),
                nz(c.prescriber().refersToId()), nz(c.prescriber().refersToKind()), nz(c.prescriber().refersToSiret())));
        m.put("who", c.beneficiary() == null ? null : List.of(nz(c.beneficiary().firstName()), nz(c.beneficiary().lastName()),
                String.valueOf(c.beneficiary().birthdate()), nz(c.beneficiary().personId())));
        m.put("employee", c.employee());
        m.put("esat", c.esat());
        m.put("host", List.of(nz(c.hostSiret()), nz(c.hostName())));
        m.put("dates", List.of(c.dateStart().toString(), c.dateEnd().toString()));
        StringBuilder days = new StringBuilder();
        for (Day d : c.days()) {
            days.append(d.date()).append('=').append(d.periodsText()).append('/').append(d.plannedMinutes()).append('/')
                    .append(d.doneMinutes()).append(';');
        }
        m.put("days", days.toString());
        m.put("declared", c.declaredTotalHours() == null ? null : c.declaredTotalHours().stripTrailingZeros().toPlainString());
        m.put("done", c.doneMinutes());
        m.put("assessment", c.assessment() == null ? null : List.of(c.assessment().status(),
                String.valueOf(c.assessment().endedWithAJob()), String.valueOf(c.assessment().createdAt())));
        m.put("validation", String.valueOf(c.dateValidation()));
        m.put("updated", String.valueOf(c.partnerUpdatedAt()));
        return of(Json.write(m));
    }

    String of(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
