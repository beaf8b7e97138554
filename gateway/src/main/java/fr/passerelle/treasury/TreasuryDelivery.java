package fr.passerelle.treasury;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.flow.PesRegistry;
import fr.passerelle.document.Rejection;
import fr.passerelle.pes.PesNames;
import fr.passerelle.signature.SigningStage;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;

/**
 * Sends one signed flow to its commune's treasury endpoint, at most once whatever crashes or
 * redeliveries happen: the transmission is claimed in the database, the file uploaded under a
 * temporary name, that fact committed, and only then renamed to its real name (which the other
 * side reads). A redelivered message finds the step reached: a flow already SENT passes; a rename
 * that may have happened is checked on the server (the temporary file gone means it did) and never
 * repeated by a new upload. Failed attempts are rolled back for the broker to redeliver with
 * back-off; the last one marks the flow FAILED for an operator to replay.
 */
public final class TreasuryDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(TreasuryDelivery.class);
    static final String TEMP_SUFFIX = ".part";
    private static final java.time.format.DateTimeFormatter WAIT_FORMAT =
            java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy à HH:mm");

    /** What became of one delivery: the route sends a notice, reschedules, or dead-letters by it. */
    public record Outcome(String flowId, Kind kind, Long notBeforeMillis, String notice) {
        public enum Kind { SENT, ALREADY_DONE, LATER, FAILED, IGNORED }

        public boolean later() {
            return kind == Kind.LATER;
        }

        public boolean failed() {
            return kind == Kind.FAILED;
        }
    }

    /** An attempt that failed and is worth another: the route rolls back, the broker redelivers. */
    public static final class RetryLaterException extends Exception {
        public RetryLaterException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Opens a connection to an endpoint (the real transports; tests may count). */
    @FunctionalInterface
    public interface Connector {
        TreasuryConnection open(TreasuryEndpoint endpoint) throws TreasuryTransferException;
    }

    private final FlowStore flows;
    private final PesRegistry pesRegistry;
    private final FlowRecovery recovery;
    private final TransmissionStore transmissions;
    private final OriginalStore originals;
    private final TenantRegistry tenants;
    private final Map<String, TreasuryEndpoint> endpoints;
    private final TransmissionPolicy policy;
    private final Connector connector;
    private final Notices notices;
    private final Clock clock;
    private final ZoneId zone;
    private final int maxAttempts;
    private final String node;
    private final Duration lease;

    public TreasuryDelivery(FlowStore flows, PesRegistry pesRegistry, FlowRecovery recovery, TransmissionStore transmissions, OriginalStore originals,
                            TenantRegistry tenants, Map<String, TreasuryEndpoint> endpoints, TransmissionPolicy policy,
                            Connector connector, Notices notices, Clock clock, ZoneId zone, int maxAttempts, String node,
                            Duration lease) {
        this.flows = flows;
        this.pesRegistry = pesRegistry;
        this.recovery = recovery;
        this.transmissions = transmissions;
        this.originals = originals;
        this.tenants = tenants;
        this.endpoints = Map.copyOf(endpoints);
        this.policy = policy;
        this.connector = connector;
        this.notices = notices;
        this.clock = clock;
        this.zone = zone;
        this.maxAttempts = maxAttempts;
        this.node = node;
        this.lease = lease;
    }

    public Outcome deliver(String flowId, Integer deliveryCount) throws RetryLaterException {
        Optional<Flow> found = flows.find(flowId);
        if (found.isEmpty()) {
            LOG.warn("Treasury queue names flow {} which does not exist: dropped", flowId);
            return new Outcome(flowId, Outcome.Kind.IGNORED, null, null);
        }
        Flow flow = found.get();
        if (flow.status() == FlowStatus.SENT || flow.status() == FlowStatus.ACKNOWLEDGED
                || flow.status() == FlowStatus.REFUSED) {
            LOG.info("Flow {} already transmitted ({}): redelivered message dropped", flowId, flow.status());
            // a crash between the SENT commit and the notice loses the notice: say it again (at least once)
            String notice = flow.status() != FlowStatus.SENT ? null : transmissions.find(flowId)
                    .map(tx -> notices.statusChange(flowId, FlowStatus.SENT, null, "déposé chez le comptable sous "
                            + tx.remoteName())).orElse(null);
            return new Outcome(flowId, Outcome.Kind.ALREADY_DONE, null, notice);
        }
        if (flow.status() != FlowStatus.SIGNED) {
            // not signed yet (or FAILED, or refused): the stage of its state (or an operator's replay) moves it
            // on, and the signing stage wakes this delivery again once it is SIGNED
            LOG.info("Flow {} is {}, not SIGNED: nothing to transmit now", flowId, flow.status());
            return new Outcome(flowId, Outcome.Kind.IGNORED, null, null);
        }
        Commune commune = tenants.commune(flow.communeId()).orElse(null);
        TreasuryEndpoint endpoint = commune == null ? null : endpoints.get(commune.treasuryEndpoint());
        if (endpoint == null) {
            return fail(flow, new Rejection("treasury", "TREASURY-ENDPOINT", null, "aucun point de dépôt du comptable "
                    + "n'est configuré pour la commune (treasuryEndpoint « "
                    + (commune == null ? "?" : commune.treasuryEndpoint()) + " ») : l'exploitation doit le déclarer"));
        }
        Optional<TransmissionPolicy.Wait> later = policy.notBefore(commune.id(), commune.transmission());
        if (later.isPresent()) {
            Instant until = later.get().until();
            LOG.info("Flow {} of {} waits until {}: {}", flowId, commune.id(), until, later.get().reason());
            flows.note(flowId, "en attente jusqu'au " + WAIT_FORMAT.format(until.atZone(zone)) + " : "
                    + later.get().reason());
            recovery.waitUntil(flowId, until);
            return new Outcome(flowId, Outcome.Kind.LATER, until.toEpochMilli(), null);
        }
        String nomFic = pesRegistry.nomFicOf(flowId).orElse(null);
        String signedSha = flows.artifact(flowId, SigningStage.SIGNED).orElse(null);
        if (nomFic == null || signedSha == null) {
            return fail(flow, new Rejection("treasury", "TREASURY-SIGNED-FILE", null,
                    "le fichier signé du flux est introuvable : il ne peut pas être transmis"));
        }
        TransmissionStore.Transmission tx;
        try {
            String remote = remoteName(flowId, nomFic);
            Optional<TransmissionStore.Transmission> claimed = transmissions.claim(flowId, commune.id(), nomFic,
                    endpoint.name(), remote, remote + TEMP_SUFFIX, node, lease);
            if (claimed.isEmpty()) {
                // another node holds it (or held it and died): this wake-up comes back when its claim ends, and
                // then finds the flow SENT, or takes the transmission over where it stopped
                Instant until = transmissions.claimedUntil(flowId).filter(t -> t.isAfter(clock.instant()))
                        .orElse(clock.instant());
                LOG.info("Flow {} is being transmitted by another node until {}: looked at again then", flowId, until);
                recovery.waitUntil(flowId, until);
                return new Outcome(flowId, Outcome.Kind.LATER, until.toEpochMilli(), null);
            }
            tx = claimed.get();
        } catch (TransmissionStore.NomFicTakenException e) {
            return fail(flow, new Rejection("treasury", "TREASURY-NOMFIC-DOUBLON", "NomFic", e.getMessage()));
        }
        List<PieceIndex.Piece> pieces;
        try {
            pieces = transmit(tx, endpoint, signedSha);
        } catch (IOException | RuntimeException e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            transmissions.attemptFailed(flowId, error);
            recovery.postpone(flowId);
            int attempt = deliveryCount == null ? 1 : deliveryCount;
            if (attempt >= maxAttempts) {
                LOG.error("Flow {} not transmitted after {} attempts: FAILED ({})", flowId, attempt, error);
                return fail(flow, new Rejection("treasury", "TREASURY-TRANSMISSION", endpoint.name(),
                        "le flux n'a pas pu être déposé chez le comptable après " + attempt + " tentatives ; dernière "
                                + "erreur : " + error + ". L'exploitation peut le renvoyer (replay)."));
            }
            LOG.warn("Transmission of flow {} to {} failed (attempt {} of {}), the broker will try again: {}", flowId,
                    endpoint.name(), attempt, maxAttempts, error);
            throw new RetryLaterException("transmission of flow " + flowId + " failed: " + error, e);
        }
        String where = tx.remoteName() + " (" + endpoint.name() + ")";
        if (!transmissions.sent(flowId, where, pieces)) {
            return new Outcome(flowId, Outcome.Kind.ALREADY_DONE, null, null);
        }
        LOG.info("Flow {} ({}) transmitted as {}", flowId, nomFic, where);
        return new Outcome(flowId, Outcome.Kind.SENT, null, notices.statusChange(flowId, FlowStatus.SENT, null,
                "déposé chez le comptable sous " + tx.remoteName()));
    }

    /** Answers the pieces the flow carries, recorded with its transmission for the PES_Retour to come. */
    private List<PieceIndex.Piece> transmit(TransmissionStore.Transmission tx, TreasuryEndpoint endpoint,
                                            String signedSha) throws IOException {
        PieceIndex.Contents contents;
        try (InputStream in = originals.open(signedSha)) {
            contents = PieceIndex.read(in);
        } catch (javax.xml.stream.XMLStreamException e) {
            throw new IOException("signed flow unreadable: " + e.getMessage(), e);
        }
        try (TreasuryConnection connection = connector.open(endpoint)) {
            if (tx.state() == TransmissionStore.State.RENAMING) {
                // the upload was complete and recorded; whether the rename happened is on the server
                if (connection.exists(tx.tempName())) {
                    // a new session: the SITE parameters are said again before the file is shown
                    connection.announce(endpoint.pDest(), SiteCommands.pMsg(contents.codCol(), contents.idPost(),
                            contents.codBud()));
                    connection.rename(tx.tempName(), tx.remoteName());
                } else {
                    LOG.warn("Flow {}: {} is gone from {}, so its rename to {} happened before the interruption: "
                            + "not sent again", tx.flowId(), tx.tempName(), endpoint.name(), tx.remoteName());
                }
                return contents.pieces();
            }
            if (connection.exists(tx.remoteName())) {
                // only a rename of ours makes that name: the flow is there already
                LOG.warn("Flow {}: {} already on {}: not sent again", tx.flowId(), tx.remoteName(), endpoint.name());
                return contents.pieces();
            }
            connection.announce(endpoint.pDest(), SiteCommands.pMsg(contents.codCol(), contents.idPost(),
                    contents.codBud()));
            try (InputStream in = originals.open(signedSha)) {
                connection.upload(tx.tempName(), in);
            }
            transmissions.uploaded(tx.flowId());
            connection.rename(tx.tempName(), tx.remoteName());
            return contents.pieces();
        }
    }

    /**
     * The name the file goes under, {@code PESALR2_<SIRET>_<yymmdd>_<counter>.xml}: fixed when the
     * flow was built or relayed (so a resumed transmission checks the same name on the server).
     */
    private String remoteName(String flowId, String nomFic) {
        return pesRegistry.transmissionFileName(flowId).orElseGet(() -> PesNames.fileName(nomFic));
    }

    private Outcome fail(Flow flow, Rejection why) {
        if (!transmissions.failed(flow.id(), why)) {
            return new Outcome(flow.id(), Outcome.Kind.IGNORED, null, null);
        }
        return new Outcome(flow.id(), Outcome.Kind.FAILED, null, notices.statusChange(flow.id(), FlowStatus.FAILED, why,
                why.message()));
    }
}
