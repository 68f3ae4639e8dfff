package fr.aisne.hub.connector.ouiform.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.ouiform.contract.CodeErreur;
import fr.aisne.hub.connector.ouiform.contract.Contract;
import fr.aisne.hub.connector.ouiform.contract.ContractXml;
import fr.aisne.hub.connector.ouiform.contract.Messages.EvenementStatut;
import fr.aisne.hub.connector.ouiform.contract.Refus;

/**
 * The REST binding of the hub's side of the contract, on the hub's HTTP listener ({@code /hub/ouiform/api/v1/...}):
 * {@code POST /v1/prescriptions/{idPrescriptionHub}/statuts} (notifierStatut) and {@code POST /v1/sessions}
 * (publierSessions: an LHEO 2.3 document, or its JSON mapping). The Région's account is checked (HTTP Basic against
 * the hub's accounts, role {@code region.roles}) before anything is read; the body is then read as a bounded stream.
 * Errors are the contract's {@code {code, message, champs}} with its HTTP status.
 */
final class RegionRestRoutes extends RouteBuilder {
    static final String BASE = "/ouiform/api/v1";
    private static final Pattern IDENTIFIANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,63}");

    private final HttpSecurity http;
    private final RegionSide side;
    private final Contract contract;
    private final OuiFormSettings settings;

    RegionRestRoutes(HttpSecurity http, RegionSide side, Contract contract, OuiFormSettings settings) {
        this.http = http;
        this.side = side;
        this.contract = contract;
        this.settings = settings;
    }

    @Override
    public void configure() {
        http.restOnHub(this);
        rest(BASE).post("/prescriptions/{idPrescriptionHub}/statuts").routeId("ouiform.rest.statuts")
                .to("direct:ouiform.rest.statuts")
                .post("/sessions").routeId("ouiform.rest.sessions").to("direct:ouiform.rest.sessions");
        from("direct:ouiform.rest.statuts").routeId("ouiform.rest.statuts.impl").process(this::statuts);
        from("direct:ouiform.rest.sessions").routeId("ouiform.rest.sessions.impl").process(this::sessions);
    }

    private void statuts(Exchange e) {
        Optional<Caller> caller = authorize(e, http, settings.regionRoles());
        if (caller.isEmpty()) {
            return;
        }
        String pathId = e.getMessage().getHeader("idPrescriptionHub", String.class);
        byte[] raw = new byte[0];
        try {
            if (!json(e)) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Content-Type application/json attendu");
            }
            if (!http.bodyWithin(e, settings.statutMaxBytes())) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Corps trop volumineux (" + settings.statutMaxBytes()
                        + " octets au plus)");
            }
            raw = body(e).readNBytes((int) settings.statutMaxBytes() + 1);
            if (raw.length > settings.statutMaxBytes()) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Corps trop volumineux");
            }
            EvenementStatut evt = parse(raw);
            contract.check(ContractXml.toXml(contract.newDocument(), "notifierStatut", evt));
            if (pathId == null || !pathId.equals(evt.idPrescriptionHub())) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "L'idPrescriptionHub du chemin et celui du corps diffèrent",
                        List.of("idPrescriptionHub"));
            }
            answer(e, 200, side.notifier(evt, caller.get().name()));
        } catch (Refus r) {
            if (r.code() == CodeErreur.REQUETE_INVALIDE) {
                side.refusedStatut(raw, pathId != null && IDENTIFIANT.matcher(pathId).matches() ? pathId : null,
                        caller.get().name(), r);
            }
            refuse(e, http, r);
        } catch (IOException io) {
            refuse(e, http, new Refus(CodeErreur.REQUETE_INVALIDE, "Corps illisible"));
        }
    }

    private EvenementStatut parse(byte[] raw) throws Refus {
        try {
            EvenementStatut evt = Json.MAPPER.readValue(raw, EvenementStatut.class);
            if (evt == null) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Objet EvenementStatut attendu");
            }
            return evt;
        } catch (UnrecognizedPropertyException u) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "Champ inconnu du contrat : " + u.getPropertyName(),
                    List.of(u.getPropertyName()));
        } catch (JsonProcessingException j) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "JSON illisible ou non conforme à EvenementStatut");
        } catch (IOException io) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "Corps illisible");
        }
    }

    private void sessions(Exchange e) {
        Optional<Caller> caller = authorize(e, http, settings.regionRoles());
        if (caller.isEmpty()) {
            return;
        }
        Path spool = null;
        try {
            String type = type(e);
            boolean isJson = type.equals("application/json");
            if (!isJson && !type.equals("application/xml") && !type.equals("text/xml")) {
                answer(e, 415, new Refus(CodeErreur.REQUETE_INVALIDE, "Content-Type application/xml (document LHEO "
                        + "2.3) ou application/json (PublicationSessions) attendu").erreur());
                return;
            }
            if (!http.bodyWithin(e, settings.catalogueMaxBytes())) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Publication trop volumineuse (" + settings.catalogueMaxBytes()
                        + " octets au plus)");
            }
            String id = null;
            Boolean complet = null;
            if (!isJson) {
                id = e.getMessage().getHeader("idPublication", String.class);
                if (id == null || !IDENTIFIANT.matcher(id).matches()) {
                    throw new Refus(CodeErreur.REQUETE_INVALIDE, "Paramètre idPublication absent ou non conforme "
                            + "(obligatoire avec un corps XML)", List.of("idPublication"));
                }
                String c = e.getMessage().getHeader("complet", "false", String.class);
                if (!c.equals("true") && !c.equals("false")) {
                    throw new Refus(CodeErreur.REQUETE_INVALIDE, "Paramètre complet : true ou false", List.of("complet"));
                }
                complet = Boolean.valueOf(c);
            }
            spool = side.newSpool();
            if (!copyBounded(body(e), spool, settings.catalogueMaxBytes())) {
                throw new Refus(CodeErreur.REQUETE_INVALIDE, "Publication trop volumineuse ("
                        + settings.catalogueMaxBytes() + " octets au plus)");
            }
            Path received = spool;
            spool = null; // publier deletes it
            answer(e, 200, side.publier(received, isJson, id, complet, caller.get().name()));
        } catch (Refus r) {
            refuse(e, http, r);
        } catch (IOException io) {
            refuse(e, http, new Refus(CodeErreur.REQUETE_INVALIDE, "Corps illisible"));
        } finally {
            RegionSide.delete(spool);
        }
    }

    // ---------------------------------------------------------------------------------------------- shared helpers

    /**
     * The caller with one of {@code roles}, checked before the body is read; otherwise the hub's refusal (401, 403,
     * 429) rewritten as the contract's error, its WWW-Authenticate or Retry-After kept.
     */
    static Optional<Caller> authorize(Exchange e, HttpSecurity http, String[] roles) {
        Optional<Caller> c = http.authorize(e, java.util.Set.of(roles));
        if (c.isEmpty()) {
            Integer status = e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 401, Integer.class);
            String www = e.getMessage().getHeader("WWW-Authenticate", String.class);
            String retry = e.getMessage().getHeader("Retry-After", String.class);
            CodeErreur code = status == 403 ? CodeErreur.ACCES_REFUSE : status == 429 ? CodeErreur.INDISPONIBLE
                    : CodeErreur.NON_AUTHENTIFIE;
            String message = switch (code) {
                case ACCES_REFUSE -> "Ce compte n'a pas droit à cette opération";
                case INDISPONIBLE -> "Trop d'échecs d'authentification depuis cette adresse : réessayez plus tard";
                default -> "Identifiants absents ou refusés";
            };
            answer(e, status, new Refus(code, message).erreur());
            if (www != null) {
                e.getMessage().setHeader("WWW-Authenticate", www);
            }
            if (retry != null) {
                e.getMessage().setHeader("Retry-After", retry);
            }
        }
        return c;
    }

    /** The contract's error answer for {@code r}. */
    static void refuse(Exchange e, HttpSecurity http, Refus r) {
        int status = r.code().httpStatus();
        answer(e, status, r.erreur());
        if (r.retryAfterSeconds() > 0) {
            e.getMessage().setHeader("Retry-After", String.valueOf(r.retryAfterSeconds()));
        }
    }

    static void answer(Exchange e, int status, Object body) {
        var m = e.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        m.setBody(Json.write(body));
    }

    static InputStream body(Exchange e) {
        InputStream in = e.getMessage().getBody(InputStream.class);
        return in == null ? InputStream.nullInputStream() : in;
    }

    private static String type(Exchange e) {
        String t = e.getMessage().getHeader("Content-Type", "", String.class);
        return t.split(";")[0].strip().toLowerCase(Locale.ROOT);
    }

    private static boolean json(Exchange e) {
        return type(e).equals("application/json");
    }

    /** Copies at most {@code max} bytes of {@code in} to {@code file}; false when there was more. */
    static boolean copyBounded(InputStream in, Path file, long max) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > max) {
                    return false;
                }
                out.write(buf, 0, n);
            }
        }
        return true;
    }
}
