package fr.aisne.hub.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.connector.aisneactifs.AisneActifsFuzzBridge;
import fr.aisne.hub.connector.dora.DoraFuzzBridge;
import fr.aisne.hub.connector.immersionfacilitee.internal.ImmersionFuzzBridge;
import fr.aisne.hub.connector.ouiform.contract.Contract;
import fr.aisne.hub.connector.ouiform.contract.ContractXml;
import fr.aisne.hub.connector.ouiform.contract.Messages;
import fr.aisne.hub.connector.ouiform.contract.Refus;
import fr.aisne.hub.connector.ouiform.internal.OuiFormFuzzBridge;
import fr.aisne.hub.connector.ouiform.lheo.LheoException;
import fr.aisne.hub.connector.ouiform.lheo.LheoReader;
import fr.aisne.hub.connector.ouiform.lheo.PublicationJson;
import fr.aisne.hub.connector.urssaf.internal.UrssafFuzzBridge;
import fr.aisne.hub.core.guard.PartnerGuards;

/**
 * The parsers of the connectors added after the first fuzzing sessions (Dora, OuiForm, Immersion Facilitée, URSSAF,
 * Aisne-actifs.com), each through the connector's real code (bridges in the connectors' packages where it is
 * package-private). Dates are those of a fixed clock (2026-12-06), so that an input means the same at every run.
 */
final class PartnerTargets {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T09:00:00Z"), ZoneOffset.UTC);
    /** Directory rows kept before the tables are emptied (the heap stays flat). */
    private static final int KEEP = 2_000;
    private static final Tokens DORA = Tokens.JSON.with("\"items\":", "\"total\":", "\"page\":", "\"pages\":", "\"source\":",
            "\"structure_id\":", "\"date_maj\":", "\"code_insee\":", "\"siret\":", "\"thematiques\":", "\"publics\":",
            "\"tous-publics\"", "\"modes_accueil\":", "\"frais\":", "\"type\":", "\"description\":", "\"courriel\":",
            "\"structures\":", "\"actions\":", "\"identifiant\":", "\"porteur\":", "\"axe\":", "\"autre\"",
            "\"presentation_resume\":", "\"typologie\":", "\"zone_eligibilite\":", "\"02408\"", "\"etc.\"");
    private static final Tokens IMMERSION = Tokens.JSON.with("\"payload\":", "\"convention\":", "\"status\":",
            "\"updatedAt\":", "\"agencyId\":", "\"agencyKind\":", "\"agencyRefersTo\":", "\"dateStart\":", "\"dateEnd\":",
            "\"schedule\":", "\"complexSchedule\":", "\"timePeriods\":", "\"start\":", "\"end\":", "\"totalHours\":",
            "\"signatories\":", "\"beneficiary\":", "\"birthdate\":", "\"isRqth\":", "\"beneficiaryCurrentEmployer\":",
            "\"assessment\":", "\"endedWithAJob\":", "\"reference\":", "\"host\":", "\"periods\":", "\"hours\":",
            "\"hoursDone\":", "\"ACCEPTED_BY_VALIDATOR\"", "\"COMPLETED\"", "\"08:30\"", "\"24:00\"",
            "\"02a15e00-0000-4000-8000-000000000002\"", "\"2025-03-03T00:00:00.000Z\"");
    private static final Tokens AISNE_ACTIFS = Tokens.JSON.with("\"personId\":", "\"date\":", "\"decision\":",
            "\"parcours\":", "\"referent\":", "\"motif\":", "\"montant\":", "\"organisation\":", "\"siret\":",
            "\"minoration\":", "\"rendezVous\":", "\"action\":", "\"sortie\":");

    private PartnerTargets() {
    }

    // ---------------------------------------------------------------------------------------------- Dora

    /** data·inclusion pages, delivered by the directory's handler on its real tables. */
    static FuzzTarget doraDirectory() {
        return FuzzTarget.named("dora.directory", "Dora directory: a data·inclusion page {items: [...]} delivered as "
                + "structures then services by DirectoryHandler (schema v1 and its rules, real tables in Derby)")
                .tokens(DORA)
                .deliveryHandler(() -> {
                    ModuleDatabase db = Derby.migrated("fuzz-dora", "dora", DoraFuzzBridge.class, "db/dora/V1__dora.sql");
                    DeliveryHandler h = DoraFuzzBridge.directoryPages(db.jdbc(), CLOCK);
                    int[] n = {0};
                    return d -> {
                        if (++n[0] % KEEP == 0) {
                            db.jdbc().update("DELETE FROM dora_service");
                            db.jdbc().update("DELETE FROM dora_structure");
                        }
                        return h.deliver(d);
                    };
                });
    }

    static FuzzTarget doraOffre() {
        return FuzzTarget.named("dora.offre", "Dora: the department's offer {structures, actions} checked at intake "
                + "(OfferCheck: offer schema, mapping to schema v1, its rules)")
                .tokens(DORA).validator(() -> DoraFuzzBridge.offerCheck(CLOCK));
    }

    // ---------------------------------------------------------------------------------------------- OuiForm

    private static Contract contract() {
        try {
            return Contract.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FuzzTarget ouiformCatalogue() {
        return FuzzTarget.named("ouiform.catalogue", "OuiForm: a regional catalogue in LHEO 2.3, streamed by LheoReader "
                + "(version gate, lheo-2.3.xsd, mapping to sessions) (LheoException)")
                .tokens(Tokens.LHEO_XML)
                .parser(() -> {
                    LheoReader reader = new LheoReader(contract().schema());
                    return in -> reader.read(new ByteArrayInputStream(in), s -> { });
                }, FuzzTarget.Refusals.of(LheoException.class, LheoException::reason));
    }

    static FuzzTarget ouiformPublication() {
        return FuzzTarget.named("ouiform.publication", "OuiForm: a publication of sessions in JSON (PublicationSessions, "
                + "REST), streamed by PublicationJson (LheoException)")
                .tokens(Tokens.JSON.with("\"idPublication\":", "\"dateExtraction\":", "\"complet\":", "\"formations\":",
                        "\"actions\":", "\"sessions\":", "\"numero\":", "\"intitule\":", "\"debut\":", "\"fin\":"))
                .parser(() -> in -> PublicationJson.read(new ByteArrayInputStream(in), s -> { }),
                        FuzzTarget.Refusals.of(LheoException.class, LheoException::reason));
    }

    static FuzzTarget ouiformIntake() {
        return FuzzTarget.named("ouiform.intake", "OuiForm intake validators: the department's prescription request, "
                + "a status event as journaled; one payload through both: accepted = by both")
                .tokens(Tokens.OUIFORM)
                .validators(() -> OuiFormFuzzBridge.intakeValidators(contract()));
    }

    /**
     * The hub's SOAP endpoint as the Région calls it ({@code notifierStatut}): the envelope parsed without DTD, its
     * body's first element checked by the contract's schema and read as an EvenementStatut, as HubSoapEndpoint does
     * after CXF (the real endpoint reads through CXF's StAX; this reads the same document with the contract's parser).
     */
    static FuzzTarget ouiformSoap() {
        return FuzzTarget.named("ouiform.soap", "OuiForm SOAP intake notifierStatut: envelope, contract schema, "
                + "EvenementStatut (Refus)")
                .tokens(Tokens.OUIFORM)
                .parser(() -> {
                    Contract contract = contract();
                    return in -> {
                        Document doc = contract.parse(in);
                        Element env = doc.getDocumentElement();
                        Element op = null;
                        if ("Envelope".equals(env.getLocalName()) && Contract.SOAP_ENV_NS.equals(env.getNamespaceURI())) {
                            for (Element b : ContractXml.children(env, "Body")) {
                                for (Node c = b.getFirstChild(); c != null && op == null; c = c.getNextSibling()) {
                                    op = c instanceof Element e ? e : null;
                                }
                            }
                        }
                        if (op == null || !Contract.NS.equals(op.getNamespaceURI())
                                || !"notifierStatut".equals(op.getLocalName())) {
                            throw new Refus(fr.aisne.hub.connector.ouiform.contract.CodeErreur.REQUETE_INVALIDE,
                                    "Opération inconnue du port HubOuiForm");
                        }
                        contract.check(op);
                        ContractXml.fromXml(op, Messages.EvenementStatut.class);
                    };
                }, FuzzTarget.Refusals.of(Refus.class, Refus::reason));
    }

    /**
     * OuiForm's answer to {@code soumettrePrescription}, read by the connector's real client on both channels (SOAP,
     * then REST) under the hub's partner guard: OuiForm's id, or a DeliveryFailure (temporary or permanent: both are
     * what an answer may legitimately give).
     */
    static FuzzTarget ouiformAnswers() {
        Messages.Prescription p = new Messages.Prescription("HUB-2026-000042", "2026-12-06", "02_SE_0000101_1",
                "02_AC_0000101", new Messages.Beneficiaire("DUPONT", "Camille", "1990-02-14",
                        new Messages.Commune("02408", "02000", "Laon"), "12345678901"),
                new Messages.Prescripteur("22020000000019", "Département de l'Aisne",
                        new Messages.Referent("MARTIN", "Claire", "claire.martin@aisne.example", "03 23 00 00 42")));
        return FuzzTarget.named("ouiform.answers", "OuiForm answers to soumettrePrescription (SOAP and REST): "
                + "OuiFormClient (DeliveryFailure)")
                .tokens(Tokens.OUIFORM)
                .parser(() -> {
                    Contract contract = contract();
                    return in -> {
                        HttpAnswer a = HttpAnswer.parse(in);
                        // a new guard and client per input: no pause or open circuit of one answer holds the next
                        answered(List.of(OuiFormFuzzBridge.soumettre("soap", contract, guard("ouiform"),
                                HttpAnswer.client(r -> a), p), OuiFormFuzzBridge.soumettre("rest", contract,
                                        guard("ouiform"), HttpAnswer.client(r -> a), p)));
                    };
                }, FuzzTarget.Refusals.of(DeliveryFailure.class, DeliveryFailure::getMessage));
    }

    // ---------------------------------------------------------------------------------------------- Immersion Facilitée

    static FuzzTarget immersionConvention() {
        return FuzzTarget.named("immersion.convention", "Immersion Facilitée: a convention read (GET /v2/conventions/{id} "
                + "answered 200) mapped by PlatformMapping (PlatformException, MappingException)")
                .tokens(IMMERSION)
                .parser(() -> ImmersionFuzzBridge::conventionRead,
                        FuzzTarget.Refusals.of(ImmersionFuzzBridge.Unusable.class, Exception::getMessage));
    }

    static FuzzTarget immersionWebhook() {
        return FuzzTarget.named("immersion.webhook", "Immersion Facilitée: a webhook call's body read by WebhookIntake, "
                + "the hand-over it journals through the flow's validator (ValidationException)")
                .tokens(IMMERSION)
                .parser(() -> ImmersionFuzzBridge::webhookCall,
                        FuzzTarget.Refusals.of(fr.aisne.hub.api.ValidationException.class, Exception::getMessage));
    }

    static FuzzTarget immersionDepartement() {
        return FuzzTarget.named("immersion.departement", "Immersion Facilitée: the department's paper immersion "
                + "(DepartmentImmersions), then the convention it becomes")
                .tokens(IMMERSION).validator(ImmersionFuzzBridge::departmentImmersion);
    }

    // ---------------------------------------------------------------------------------------------- URSSAF

    static FuzzTarget urssafAccidents() {
        return FuzzTarget.named("urssaf.accidents", "URSSAF: the department's accident declaration (flow "
                + "departement/accidents-pmsmp), its intake validator Accidents")
                .tokens(Tokens.JSON.with("\"convention\":", "\"dateHeure\":", "\"lieu\":", "\"circonstances\":",
                        "\"connuLe\":", "\"2026-03-02T14:30\"", "\"2026-03-02T14:30:00+01:00\""))
                .validator(() -> UrssafFuzzBridge.accidentValidator(CLOCK));
    }

    static FuzzTarget urssafPayroll() {
        return FuzzTarget.named("urssaf.payroll", "URSSAF payroll service's answer to deposerDeclaration (SOAP): "
                + "PayrollClient (DeliveryFailure)")
                .tokens(Tokens.URSSAF_SOAP)
                .parser(() -> in -> {
                    HttpAnswer a = HttpAnswer.parse(in);
                    answered(List.of(UrssafFuzzBridge.deposit(HttpAnswer.client(r -> a))));
                }, FuzzTarget.Refusals.of(DeliveryFailure.class, DeliveryFailure::getMessage));
    }

    // ---------------------------------------------------------------------------------------------- Aisne-actifs.com

    static FuzzTarget aisneActifsDecisions() {
        return FuzzTarget.named("aisne-actifs.decisions", "Aisne-actifs.com intake: the eight decision validators "
                + "(contract v1 JSON Schemas), one payload through all: accepted = by all eight")
                .tokens(AISNE_ACTIFS).validators(AisneActifsFuzzBridge::decisionValidators);
    }

    // ---------------------------------------------------------------------------------------------- shared

    private static fr.aisne.hub.api.PartnerGuard guard(String partner) {
        return new PartnerGuards(CLOCK).guard(partner, PartnerLimits.NONE);
    }

    /** Runs each call; their DeliveryFailures, if any, thrown as one (a permanent one: only its text is judged). */
    private static void answered(List<Callable<String>> calls) throws Exception {
        StringBuilder failures = new StringBuilder();
        for (Callable<String> c : calls) {
            try {
                c.call();
            } catch (DeliveryFailure f) {
                failures.append(f.getMessage()).append("; ");
            }
        }
        if (failures.length() > 0) {
            throw DeliveryFailure.permanent(failures.toString());
        }
    }
}
