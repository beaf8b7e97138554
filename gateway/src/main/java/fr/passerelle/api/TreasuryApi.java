package fr.passerelle.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheck;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.treasury.TransmissionStore;
import fr.passerelle.treasury.TreasuryView;
import fr.passerelle.treasury.TreasuryWatch;

/**
 * The treasury side of the API: replaying a FAILED flow (operators only), the flows SENT and not
 * acknowledged after the delay, and the overall status UP / DEGRADED / DOWN.
 */
public final class TreasuryApi {

    private final ApiAuth auth;
    private final FlowStore flows;
    private final TransmissionStore transmissions;
    private final TreasuryWatch watch;
    private final TenantRegistry tenants;

    public TreasuryApi(ApiAuth auth, FlowStore flows, TransmissionStore transmissions, TreasuryWatch watch,
                       TenantRegistry tenants) {
        this.auth = auth;
        this.flows = flows;
        this.transmissions = transmissions;
        this.watch = watch;
        this.tenants = tenants;
    }

    /**
     * POST /api/v1/flows/{id}/replay: a FAILED flow goes back to SIGNED; the message is then put on
     * its poste's queue by the route (body: flow id, header PasserelleIdPost, a fresh duplicate id).
     */
    public void replay(Exchange exchange) {
        Message in = exchange.getMessage();
        Caller caller = auth.caller(in);
        if (!caller.isOperator()) {
            throw new ApiException(403, "operators-only", "Seule l'exploitation peut renvoyer un flux au comptable.");
        }
        String id = in.getHeader("id", String.class);
        Flow flow = flows.find(id == null ? "" : id).orElseThrow(() -> ApiException.notFound("Flux " + id));
        if (flow.status() != FlowStatus.FAILED || transmissionBlocked(flow)) {
            throw new ApiException(409, "not-failed", "Le flux est " + flow.status() + " : seul un flux en échec de "
                    + "transmission (FAILED) peut être renvoyé.");
        }
        if (!transmissions.replay(flow.id(), caller.name())) {
            throw new ApiException(409, "not-failed", "Le flux n'est plus en échec : il a été renvoyé entre-temps.");
        }
        String idPost = tenants.commune(flow.communeId()).orElseThrow().idPost();
        in.removeHeaders("*");
        in.setHeader("PasserelleFlowId", flow.id());
        in.setHeader("PasserelleIdPost", idPost);
        in.setHeader("_AMQ_DUPL_ID", "treasury-" + flow.id() + "-replay-" + System.currentTimeMillis());
        in.setBody(flow.id());
    }

    /** Only flows that failed at the treasury stage are replayed here (not a validation failure). */
    private boolean transmissionBlocked(Flow flow) {
        return flow.rejection() == null || !"treasury".equals(flow.rejection().layer());
    }

    /** The answer to a replay, once the flow's message is on its queue. */
    public void replayed(Exchange exchange) throws IOException {
        String id = exchange.getMessage().getHeader("PasserelleFlowId", String.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("status", FlowStatus.SIGNED.name());
        body.put("message", "Le flux est remis dans la file de transmission de son poste comptable.");
        body.put("flow", "/api/v1/flows/" + id);
        respond(exchange, 202, body);
    }

    /** GET /api/v1/treasury/unacknowledged: flows SENT and not acknowledged after the delay (a commune sees its own). */
    public void unacknowledged(Exchange exchange) throws IOException {
        Caller caller = auth.caller(exchange.getMessage());
        List<Map<String, Object>> items = watch.unacknowledged().stream()
                .filter(t -> caller.canSee(t.communeId()))
                .map(TreasuryView::transmissionJson).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("delayHours", watch.delay().toHours());
        body.put("count", items.size());
        body.put("flows", items);
        respond(exchange, 200, body);
    }

    /** GET /api/v1/ops/status: every health check, and overall UP, DEGRADED or DOWN (operators). */
    public void status(Exchange exchange) throws IOException {
        Caller caller = auth.caller(exchange.getMessage());
        if (!caller.isOperator()) {
            throw new ApiException(403, "operators-only", "Réservé à l'exploitation.");
        }
        CamelContext camel = exchange.getContext();
        String overall = "UP";
        List<Map<String, Object>> checks = new java.util.ArrayList<>();
        List<HealthCheck.Result> results = org.apache.camel.health.HealthCheckRegistry.get(camel).stream()
                .filter(HealthCheck::isEnabled).map(HealthCheck::call).toList();
        for (HealthCheck.Result r : results) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", r.getCheck().getId());
            String state = r.getState().name();
            // the DEGRADED checks (treasury, stalled flows...) stay UP for orchestrators and say DEGRADED in their details
            if (r.getState() == HealthCheck.State.UP && "DEGRADED".equals(r.getDetails().get("state"))) {
                state = "DEGRADED";
            }
            c.put("status", state);
            r.getMessage().ifPresent(m -> c.put("message", m));
            // our checks' reasons, one line per cause
            Object reason = r.getDetails().get("reason");
            if (reason != null) {
                c.put("reason", List.of(reason.toString().split("\n")));
            }
            checks.add(c);
            if (state.equals("DOWN")) {
                overall = "DOWN";
            } else if (state.equals("DEGRADED") && overall.equals("UP")) {
                overall = "DEGRADED";
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", overall);
        body.put("treasury", watch.summary());
        body.put("checks", checks);
        respond(exchange, 200, body);
    }

    private static void respond(Exchange exchange, int status, Object body) throws IOException {
        ApiAnswers.json(exchange, status, body);
    }
}
