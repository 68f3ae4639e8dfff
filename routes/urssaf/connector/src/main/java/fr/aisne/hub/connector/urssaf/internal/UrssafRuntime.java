package fr.aisne.hub.connector.urssaf.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConventions;
import fr.aisne.hub.connector.urssaf.internal.Adjustments.AdjustmentLine;
import fr.aisne.hub.connector.urssaf.internal.Computation.Excluded;
import fr.aisne.hub.connector.urssaf.internal.Computation.RateLine;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.MonthRow;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.StoredLine;

/** Everything the URSSAF connector runs with, built once per configuration, and the views its API and shell show. */
public final class UrssafRuntime implements UrssafOperations {
    private static final Logger LOG = LoggerFactory.getLogger(UrssafRuntime.class);
    public static final String ID = "urssaf";

    final UrssafSettings settings;
    final UrssafStore store;
    final Months months;
    final Accidents accidents;
    final Flow declarations;
    final Flow accidentFlow;
    private final Intake intake;
    private final Supplier<PmsmpConventions> conventions;
    private final Clock clock;

    public UrssafRuntime(UrssafSettings settings, ModuleDatabase db, Intake intake, Supplier<PmsmpConventions> conventions,
            Clock clock) {
        this.settings = settings;
        this.intake = intake;
        this.conventions = conventions;
        this.clock = clock;
        db.migrate(ID, UrssafRuntime.class.getClassLoader(), "db/urssaf/V1__urssaf.sql");
        this.store = new UrssafStore(db.jdbc());
        this.months = new Months(store, settings, conventions, clock, this::queue);
        this.accidents = new Accidents(db.jdbc(), conventions, settings.zone(), clock);
        PayrollClient client = new PayrollClient(settings.payrollUrl(), settings.payrollUsername(),
                settings.payrollPassword(), settings.connectTimeout(), settings.requestTimeout());
        this.declarations = Flow.outbound(ID, "declarations").duplicates(Duplicates.MESSAGE_ID)
                .orderingKey(OrderingKey.NONE).retry(settings.retry()).concurrency(1)
                .deliverTo(new DeclarationHandler(store, settings, client, clock));
        this.accidentFlow = Flow.inbound("departement", "accidents-pmsmp")
                .acceptHttp("/in/departement/accidents-pmsmp", settings.accidentSenders().toArray(String[]::new))
                .validator(accidents).maxPayloadBytes(settings.maxPayloadBytes()).retry(settings.retry())
                .deliverTo(accidents);
    }

    public List<Flow> flows() {
        return List.of(declarations, accidentFlow);
    }

    /** Hands a closed month's declaration to the hub (its partner message id: one exchange per month). */
    void queue(YearMonth month) {
        byte[] payload = ("{\"mois\":\"" + month + "\"}").getBytes(StandardCharsets.UTF_8);
        try {
            IngestResult r = intake.accept(declarations, new ByteArrayInputStream(payload),
                    new InboundMetadata(null, "atmp-" + month, "application/json", "urssaf-cloture"));
            if (r.outcome().taken() || r.outcome() == IngestResult.Outcome.DUPLICATE) {
                store.queued(month, r.exchangeId() != null ? r.exchangeId() : r.duplicateOf());
                LOG.info("URSSAF AT/MP: declaration of {} handed to the hub ({})", month, r.outcome());
            } else {
                LOG.warn("URSSAF AT/MP: declaration of {} not taken now ({}), offered again later", month, r.outcome());
            }
        } catch (IOException e) {
            LOG.warn("URSSAF AT/MP: declaration of {} not taken now ({}), offered again later", month,
                    e.getClass().getSimpleName());
        }
    }

    /** Timer: the closed months whose declaration the hub has not taken yet. */
    void offerPending() {
        for (YearMonth m : store.notQueued()) {
            queue(m);
        }
    }

    public Health health() {
        if (conventions.get() == null) {
            return Health.down("conventions PMSMP indisponibles : installer et configurer le connecteur Immersion Facilitée");
        }
        if (settings.payrollPassword() == null || settings.payrollPassword().isEmpty()) {
            return Health.down("payroll.password absent de " + UrssafSettings.FILE + " : les déclarations attendent");
        }
        Map<String, Integer> acc = accidents.counts(settings.accidentWarning());
        List<String> parts = new ArrayList<>();
        int late = acc.getOrDefault("EN_RETARD", 0);
        if (late > 0) {
            parts.add(late + " déclaration(s) d'accident EN RETARD (délai de 48 h dépassé)");
        }
        if (acc.getOrDefault("BIENTOT_ECHUE", 0) > 0) {
            parts.add(acc.get("BIENTOT_ECHUE") + " déclaration(s) d'accident à transmettre dans moins de "
                    + settings.accidentWarning().toHours() + " h");
        }
        if (acc.getOrDefault("A_TRANSMETTRE", 0) > 0) {
            parts.add(acc.get("A_TRANSMETTRE") + " déclaration(s) d'accident à transmettre");
        }
        long rejected = store.months().stream().filter(m -> m.lastRejection() != null && UrssafStore.CLOSED.equals(m.state()))
                .count();
        if (rejected > 0) {
            parts.add(rejected + " déclaration(s) mensuelle(s) rejetée(s) par le service paie");
        }
        String detail = parts.isEmpty() ? "à jour" : String.join(" ; ", parts);
        return late > 0 ? Health.down(detail) : Health.up(detail);
    }

    // ------------------------------------------------------------------------------------------------ views

    /** A month: the stored declaration when closed, else the figures now (with the adjustments closing would carry). */
    public Map<String, Object> monthView(YearMonth month) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mois", month.toString());
        var row = store.month(month);
        if (row.isPresent()) {
            MonthRow r = row.get();
            m.put("etat", r.state().equals(UrssafStore.DECLARED) ? "DECLARE" : "CLOS");
            m.put("base", r.basis());
            m.put("heures", r.hours());
            m.put("montant", r.amount());
            m.put("regularisationHeures", r.adjHours());
            m.put("regularisationMontant", r.adjAmount());
            m.put("totalMontant", r.total());
            m.put("closLe", r.closedAt().toString());
            m.put("closPar", r.closedBy());
            m.put("echange", r.exchangeId());
            m.put("numeroDepot", r.depositNumber());
            m.put("dernierRejet", r.lastRejection());
            List<Map<String, Object>> lines = new ArrayList<>();
            for (StoredLine l : store.lines(month)) {
                Map<String, Object> o = line(l.kind(), l.origin(), l.reference(), l.ctp(), l.rate().stripTrailingZeros(),
                        l.hours(), l.amount());
                if (l.reason() != null) {
                    o.put("motif", l.reason());
                }
                lines.add(o);
            }
            m.put("lignes", lines);
            m.put("conventions", store.days(month).stream().filter(d -> !d.adjustment())
                    .map(d -> d.day().conventionKey()).distinct().count());
            return m;
        }
        Months.Preview p = months.preview(month);
        m.put("etat", month.isBefore(months.current()) ? "A_CLORE" : "EN_COURS");
        m.put("base", settings.basis().name());
        m.put("heures", p.result().hours());
        m.put("montant", p.result().amount());
        var adjHours = p.adjustments().stream().map(AdjustmentLine::hours).reduce(java.math.BigDecimal.ZERO,
                java.math.BigDecimal::add);
        var adjAmount = p.adjustments().stream().map(AdjustmentLine::amount).reduce(java.math.BigDecimal.ZERO,
                java.math.BigDecimal::add);
        m.put("regularisationHeures", adjHours);
        m.put("regularisationMontant", adjAmount);
        m.put("totalMontant", p.result().amount().add(adjAmount));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (RateLine l : p.result().lines()) {
            lines.add(line("MOIS", month, null, l.ctp(), l.rate().stripTrailingZeros(), l.hours(), l.amount()));
        }
        for (AdjustmentLine l : p.adjustments()) {
            Map<String, Object> o = line("REGULARISATION", l.origin(), l.reference(), l.ctp(), l.rate().stripTrailingZeros(),
                    l.hours(), l.amount());
            o.put("motif", l.reason());
            lines.add(o);
        }
        m.put("lignes", lines);
        m.put("conventions", p.result().days().stream().map(d -> d.conventionKey()).distinct().count());
        m.put("exclues", p.result().excluded().stream().map(UrssafRuntime::excluded).toList());
        m.put("enAttenteDeDecision", p.result().pending().stream().map(UrssafRuntime::excluded).toList());
        return m;
    }

    private static Map<String, Object> line(String kind, YearMonth origin, String reference, String ctp, Object rate,
            Object hours, Object amount) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("type", kind);
        o.put("moisOrigine", origin.toString());
        if (reference != null) {
            o.put("convention", reference);
        }
        o.put("ctp", ctp);
        o.put("taux", rate);
        o.put("heures", hours);
        o.put("montant", amount);
        return o;
    }

    private static Map<String, Object> excluded(Excluded e) {
        return Map.of("convention", e.conventionKey(), "reference", e.reference(), "motif", e.reason());
    }

    public List<Map<String, Object>> accidentViews() {
        return accidents.all().stream().map(a -> accidents.view(a, settings.accidentWarning())).toList();
    }

    // ------------------------------------------------------------------------------------------------ operations

    @Override
    public String month(String month) {
        YearMonth m = month == null || month.isBlank() ? months.current() : YearMonth.parse(month);
        Map<String, Object> v = monthView(m);
        StringBuilder sb = new StringBuilder();
        sb.append("Mois ").append(m).append(" (").append(v.get("etat")).append(", base ").append(v.get("base"))
                .append(") : ").append(v.get("heures")).append(" h, ").append(v.get("montant")).append(" EUR");
        sb.append("; régularisations ").append(v.get("regularisationHeures")).append(" h, ")
                .append(v.get("regularisationMontant")).append(" EUR; total ").append(v.get("totalMontant")).append(" EUR; ")
                .append(v.get("conventions")).append(" convention(s)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lines = (List<Map<String, Object>>) v.get("lignes");
        for (Map<String, Object> l : lines) {
            sb.append("\n  ").append(l.get("type")).append(' ').append(l.get("moisOrigine"))
                    .append(l.containsKey("convention") ? " " + l.get("convention") : "").append(" CTP ").append(l.get("ctp"))
                    .append(" à ").append(l.get("taux")).append(" EUR/h : ").append(l.get("heures")).append(" h = ")
                    .append(l.get("montant")).append(" EUR").append(l.containsKey("motif") ? " (" + l.get("motif") + ")" : "");
        }
        if (v.get("dernierRejet") != null) {
            sb.append("\n  dernier rejet : ").append(v.get("dernierRejet"));
        }
        if (v.get("enAttenteDeDecision") instanceof List<?> p && !p.isEmpty()) {
            sb.append("\n  en attente d'une décision (salarié) : ").append(p);
        }
        return sb.toString();
    }

    @Override
    public String close(String month, String operator) {
        MonthRow r = months.close(YearMonth.parse(month), operator);
        return "Mois " + r.month() + " clos par " + operator + " : " + r.hours() + " h, " + r.amount() + " EUR, régularisations "
                + r.adjAmount() + " EUR, total " + r.total() + " EUR; déclaration "
                + (r.exchangeId() == null ? "à remettre au hub (automatique)" : "remise au hub (échange " + r.exchangeId() + ")");
    }
}
