package fr.passerelle.signature;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.document.Rejection;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;

/**
 * The signature stage: a PACKED flow (built here or relayed) is signed with its commune's key
 * and kept as the flow's "signed" artefact, the flow moving to SIGNED in the same transaction.
 * A certificate that is expired or not yet valid is never used: the flow waits BLOCKED with the
 * reason, and the recovery sweep tries it again (a valid key may have been installed). Idempotent
 * on the flow id: a redelivered message for a signed flow changes nothing.
 */
public final class SigningStage {

    /** The kind of artefact kept for a signed flow (GET /api/v1/flows/{id}/signed). */
    public static final String SIGNED = "signed";
    private static final String PES_ALLER = "PES_ALLER";
    private static final Logger LOG = LoggerFactory.getLogger(SigningStage.class);

    private final FlowStore flows;
    private final OriginalStore originals;
    private final TenantRegistry tenants;
    private final CommuneKeys keys;
    private final XadesSigner signer = new XadesSigner();
    private final Clock clock;

    public SigningStage(FlowStore flows, OriginalStore originals, TenantRegistry tenants, CommuneKeys keys, Clock clock) {
        this.flows = flows;
        this.originals = originals;
        this.tenants = tenants;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * Signs the flow named by the queue message. Answers the flow when this call signed it (it goes
     * on to the treasury queue), the flow as it is when it is BLOCKED or REJECTED, and null when
     * there is nothing to pass on (unknown, not for signature, or signed already: a redelivery or
     * another node must never send it again).
     */
    public Flow sign(String flowId) throws IOException {
        Optional<Flow> found = flows.find(flowId);
        if (found.isEmpty()) {
            LOG.warn("Signature message for unknown flow {}: ignored", flowId);
            return null;
        }
        Flow flow = found.get();
        if (!isPes(flow) || flow.status() != FlowStatus.PACKED && flow.status() != FlowStatus.BLOCKED) {
            return null; // signed before this redelivery, or not for signature (a packed invoice is a PJ, not a flow)
        }
        Commune commune = tenants.commune(flow.communeId()).orElse(null);
        if (commune == null) {
            return block(flow, "SIGN-COMMUNE", "La commune " + flow.communeId() + " n'est plus configurée : le flux "
                    + "ne peut pas être signé.");
        }
        SigningKey key;
        try {
            key = keys.key(commune);
        } catch (IOException e) {
            LOG.error("No usable signing key for {}: {}", commune.id(), e.getMessage());
            return block(flow, "SIGN-KEY", "La clé de signature de l'ordonnateur de " + commune.name()
                    + " est introuvable ou illisible : installez-la (" + keys.keystore(commune).getFileName() + ").");
        }
        byte[] unsigned = Files.readAllBytes(originals.path(flow.sha256()));
        byte[] signed;
        try {
            signed = signer.sign(unsigned, flow.fileName(), key, clock.instant(), commune.signWholeFile());
        } catch (CertificateNotUsableException e) {
            LOG.warn("Flow {} of {} blocked: {}", flow.id(), commune.id(), e.getMessage());
            return block(flow, e.expired() ? "SIGN-CERT-EXPIRED" : "SIGN-CERT-NOT-YET-VALID", e.getMessage());
        } catch (InvalidExistingSignatureException e) {
            // a Bordereau already signed with an invalid signature: never overwritten, never sent
            return refuse(flow, "SIGN-EXISTING-INVALID", e.getMessage());
        } catch (PesDocumentException e) {
            return refuse(flow, "SIGN-UNREADABLE", "Le flux ne peut pas être lu pour être signé : " + e.getMessage());
        } catch (SigningException e) {
            // the signature library failed: rolled back, redelivered with back-off, then the dead-letter queue
            throw new IllegalStateException("Flow " + flow.id() + " cannot be signed: " + e.getMessage(), e);
        }
        String sha = originals.store(new ByteArrayInputStream(signed), Long.MAX_VALUE).sha256();
        String detail = "signé par " + CertificateExpiry.commonName(key.certificate()) + " ("
                + (commune.signWholeFile() ? "flux entier" : "par bordereau") + ")";
        if (!flows.recordArtifact(flow.id(), FlowStore.only(FlowStatus.PACKED, FlowStatus.BLOCKED), FlowStatus.SIGNED,
                SIGNED, sha, detail)) {
            return null; // another node signed it meanwhile: it sends it
        }
        LOG.info("Flow {} of {} signed", flow.id(), commune.id());
        return flows.find(flow.id()).orElseThrow();
    }

    /** The poste comptable whose treasury queue the signed flow goes to. */
    public String idPost(String flowId) {
        Flow flow = flows.find(flowId).orElseThrow(() -> new IllegalStateException("unknown flow " + flowId));
        return tenants.commune(flow.communeId()).map(Commune::idPost)
                .orElseThrow(() -> new IllegalStateException("commune " + flow.communeId() + " of flow " + flowId
                        + " is not configured: no poste comptable to send it to"));
    }

    private Flow refuse(Flow flow, String rule, String message) {
        Rejection why = new Rejection("signature", rule, null, message);
        flows.transition(flow.id(), FlowStore.only(FlowStatus.PACKED, FlowStatus.BLOCKED), FlowStatus.REJECTED, why,
                why.summary());
        return flows.find(flow.id()).orElseThrow();
    }

    private static boolean isPes(Flow flow) {
        return PES_ALLER.equals(flow.format());
    }

    private Flow block(Flow flow, String rule, String message) {
        if (flow.status() == FlowStatus.BLOCKED && rule.equals(flow.rejection() == null ? null : flow.rejection().rule())) {
            return flow; // still blocked for the same reason: no new event at every sweep
        }
        Rejection why = new Rejection("signature", rule, null, message);
        flows.transition(flow.id(), FlowStore.only(FlowStatus.PACKED, FlowStatus.BLOCKED), FlowStatus.BLOCKED, why,
                "en attente : " + message);
        return flows.find(flow.id()).orElseThrow();
    }
}
