package fr.aisne.hub.fuzz;

import java.util.List;

import fr.aisne.hub.api.JsonWellFormed;
import fr.aisne.hub.registry.ObservationJson;

/**
 * The registry of named targets, run in this order. A new partner parser is one line here (its seeds go in
 * {@code src/main/corpus/<name>/}): an intake validator with {@link FuzzTarget#validator}, a delivery handler with
 * {@link FuzzTarget#deliveryHandler}, an answer parser with {@link FuzzTarget#parser} (for an HTTP partner,
 * {@link FranceTravailTargets} shows how a real client parses answers given by {@link HttpAnswer}).
 */
public final class Targets {
    private Targets() {
    }

    public static List<FuzzTarget> all() {
        return List.of(
                CafTargets.reader(),
                CafTargets.importFirstPass(),
                FuzzTarget.named("json.well-formed", "hub-api JsonWellFormed, the intake validator of JSON flows")
                        .validator(JsonWellFormed::new),
                FuzzTarget.named("registry.observation", "the registry's ObservationJson validator (canonical observations)")
                        .validator(ObservationJson::validator),
                EchoTargets.noteHandler(),
                FranceTravailTargets.token(),
                FranceTravailTargets.rechercherUsager(),
                FranceTravailTargets.reads(),
                FranceTravailTargets.intake(),
                PartnerTargets.doraDirectory(),
                PartnerTargets.doraOffre(),
                PartnerTargets.ouiformCatalogue(),
                PartnerTargets.ouiformPublication(),
                PartnerTargets.ouiformIntake(),
                PartnerTargets.ouiformSoap(),
                PartnerTargets.ouiformAnswers(),
                PartnerTargets.immersionConvention(),
                PartnerTargets.immersionWebhook(),
                PartnerTargets.immersionDepartement(),
                PartnerTargets.urssafAccidents(),
                PartnerTargets.urssafPayroll(),
                PartnerTargets.aisneActifsDecisions());
    }

    public static FuzzTarget byName(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fuzz target " + name + "; targets: "
                        + all().stream().map(FuzzTarget::name).toList()));
    }
}
