package fr.passerelle.validation;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowSnapshots;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.flow.Quarantine;
import fr.passerelle.document.Rejection;
import fr.passerelle.intake.SupplierReports;
import fr.passerelle.tenant.TenantRegistry;

/**
 * The validation stage of the pipeline: judges a received invoice flow, stores its report with
 * the flow's move to VALIDATED, REJECTED or FAILED (one transaction), quarantines what is
 * refused and sends the report back to a supplier who uploaded by SFTP. Idempotent on the flow
 * id: a redelivered message for a flow already judged changes nothing.
 */
public final class ValidationService {

    private static final Logger LOG = LoggerFactory.getLogger(ValidationService.class);

    private final DeadlineValidator validator;
    private final int maxDeliveries;
    private final FlowStore flows;
    private final OriginalStore originals;
    private final Quarantine quarantine;
    private final TenantRegistry tenants;
    private final SupplierReports supplierReports;

    public ValidationService(DeadlineValidator validator, int maxDeliveries, FlowStore flows, OriginalStore originals,
                             Quarantine quarantine, TenantRegistry tenants, SupplierReports supplierReports) {
        this.validator = validator;
        this.maxDeliveries = maxDeliveries;
        this.flows = flows;
        this.originals = originals;
        this.quarantine = quarantine;
        this.tenants = tenants;
        this.supplierReports = supplierReports;
    }

    /** Validates the flow named by the queue message (first delivery); answers the flow as it now is. */
    public Flow validate(String flowId) throws IOException, InterruptedException {
        return validate(flowId, 1, null);
    }

    /**
     * Validates the flow named by the queue message; answers the flow as it now is. deliveryCount is
     * the broker's (JMSXDeliveryCount): a failure that may pass is tried again until the last delivery,
     * which records FAILED rather than leaving the flow RECEIVED in the dead-letter queue. The snapshot
     * is the flow as its wake-up carried it ({@link FlowSnapshots}): a first delivery does not read it
     * back from the store; a redelivery does (the delivery that failed may have judged it first).
     */
    public Flow validate(String flowId, Integer deliveryCount, String snapshot) throws IOException, InterruptedException {
        boolean firstDelivery = deliveryCount == null || deliveryCount <= 1;
        Optional<Flow> found = (firstDelivery ? FlowSnapshots.received(flowId, snapshot) : Optional.<Flow>empty())
                .or(() -> flows.find(flowId));
        if (found.isEmpty()) {
            LOG.warn("Validation message for unknown flow {}: ignored", flowId);
            return null;
        }
        Flow flow = found.get();
        if (flow.status() != FlowStatus.RECEIVED) {
            // judged before this redelivery: a crash may have come between the commit and what
            // follows it, so the quarantine and the supplier's copy are made again (both idempotent)
            flows.validationReport(flow.id()).ifPresent(json -> afterJudgement(flow, json));
            return flow;
        }
        ValidationReport report;
        try {
            report = validator.validate(originals.path(flow.sha256()), flow.fileName(),
                    new InvoiceValidator.Options(false, tenants, flow.communeId(),
                            flow.receivedAt().atZoneSameInstant(InvoiceCheck.FRANCE).toLocalDate()));
        } catch (DeadlineValidator.BusyException e) {
            // no judge free within the deadline (runaways, large invoices ahead): not the file's
            // fault, tried again like an I/O failure, and FAILED on the last delivery, never left
            // RECEIVED in the dead-letter queue
            report = ValidationReport.failed(flow.fileName(), e.getMessage()).retryable();
        }
        boolean lastDelivery = deliveryCount != null && deliveryCount >= maxDeliveries;
        if (report.transientFailure() && !lastDelivery) {
            // an I/O or memory failure may pass on another attempt: rolled back, redelivered with
            // back-off; the last delivery records the failure
            throw new IllegalStateException("Flow " + flow.id() + " could not be validated this time: "
                    + report.processingError());
        }
        String json = ReportJson.toJson(report);
        FlowStatus to;
        Rejection reason = null;
        String detail;
        if (!report.completed()) {
            to = FlowStatus.FAILED;
            reason = new Rejection("validation", "VALIDATION-PROCESSING", null, "La facture n'a pas pu être "
                    + "vérifiée (erreur de traitement, ce n'est pas un verdict) : l'exploitation est prévenue.");
            detail = "validation impossible : " + report.processingError();
        } else if (report.accepted()) {
            to = FlowStatus.VALIDATED;
            detail = "facture " + report.verdict() + " (" + describe(report) + ")";
        } else {
            to = FlowStatus.REJECTED;
            Finding first = report.firstError();
            reason = new Rejection(first.layer().id(), first.rule(), first.location(), first.message());
            detail = "facture rejetée (" + describe(report) + ") : " + reason.summary();
        }
        if (!flows.recordValidation(flow.id(), to, reason, detail, report.processing(), report.verdict(),
                report.profile(), json)) {
            return flows.find(flowId).orElseThrow();
        }
        // as committed, without reading it back (one round trip less for every invoice)
        Flow judged = flow.movedTo(to, reason, OffsetDateTime.now(ZoneOffset.UTC));
        afterJudgement(judged, json);
        if (to == FlowStatus.FAILED) {
            LOG.error("Flow {} ({}) could not be validated: {}", flow.id(), flow.fileName(), report.processingError());
        } else if (to == FlowStatus.REJECTED) {
            LOG.info("Flow {} ({}) REJECTED: {}", flow.id(), flow.fileName(), reason.summary());
        } else {
            // one line per valid invoice would drown what an operator must see: it is in the flow's history
            LOG.debug("Flow {} ({}) {}: {}", flow.id(), flow.fileName(), to, report.verdict());
        }
        return judged;
    }

    private void afterJudgement(Flow judged, String json) {
        if (judged.status() == FlowStatus.REJECTED || judged.status() == FlowStatus.FAILED) {
            quarantine.put(judged);
        }
        supplierReports.write(judged, json);
    }

    private static String describe(ValidationReport r) {
        return r.syntax() == null ? r.format() : r.syntax() + (r.profile() == null ? "" : ", profil " + r.profile());
    }
}
