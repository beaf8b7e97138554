package fr.passerelle.intake;

import java.io.IOException;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.flow.Quarantine;
import fr.passerelle.document.Rejection;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;

/**
 * Intake, the same for every channel: keep the original (SHA-256), tell its format, find its
 * commune, and record the flow with its audit event. Refused files become REJECTED flows whose
 * original is also linked into the quarantine folder; nothing is ever dropped silently.
 */
public final class IntakeService {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeService.class);

    private final FlowStore flows;
    private final OriginalStore originals;
    private final FormatSniffer sniffer;
    private final TenantRegistry tenants;
    private final long maxBytes;
    private final Quarantine quarantine;
    private final SupplierReports supplierReports;

    public IntakeService(FlowStore flows, OriginalStore originals, FormatSniffer sniffer, TenantRegistry tenants,
                         long maxBytes, Quarantine quarantine, SupplierReports supplierReports) {
        this.flows = flows;
        this.originals = originals;
        this.sniffer = sniffer;
        this.tenants = tenants;
        this.maxBytes = maxBytes;
        this.quarantine = quarantine;
        this.supplierReports = supplierReports;
    }

    public IntakeReceipt accept(Submission s) throws IOException {
        String given = FileNames.normalise(s.fileName());
        Optional<Rejection> badName = FileNames.check(given);
        String fileName = FileNames.sanitise(given);
        OriginalStore.Stored stored = originals.store(s.content(), maxBytes);
        if (stored.oversize()) {
            Rejection tooBig = new Rejection("intake", "INTAKE-SIZE", null, "Le fichier dépasse la taille maximale "
                    + "acceptée (" + (maxBytes >> 20) + " Mo) : il n'a pas été traité. Découpez l'envoi en "
                    + "plusieurs fichiers.");
            // nothing was kept (no hash): such a refusal is never taken for a duplicate
            FlowStore.Received r = flows.receive(new FlowStore.NewFlow(s.communeId(), null, fileName,
                    Format.UNKNOWN.name(), s.channel(), s.sender(), stored.size(), FlowStatus.REJECTED, tooBig,
                    tooBig.summary()));
            LOG.warn("Refused {} from {} ({}): {} bytes over the limit", fileName, s.sender(), s.channel(), stored.size());
            supplierReports.intakeAnswer(r.flow());
            return new IntakeReceipt(r.flow(), false, true);
        }
        FormatSniffer.Sniff sniff = sniffer.sniff(originals.path(stored.sha256()));
        Rejection rejection = badName.orElse(sniff.problem());
        String communeId = s.communeId();
        FlowStatus status = FlowStatus.RECEIVED;
        String detail = "reçu par " + s.channel() + " de " + s.sender() + " : " + sniff.format().label()
                + " (" + stored.size() + " octets)";
        if (rejection != null) {
            status = FlowStatus.REJECTED;
            detail = rejection.summary();
        } else if (communeId == null) {
            Optional<Commune> buyer = tenants.communeForBuyer(sniff.buyerIdentifiers());
            if (buyer.isPresent()) {
                communeId = buyer.get().id();
                detail += ", acheteur " + buyer.get().name();
            } else {
                // only an invoice that names its buyer can wait for its commune (one may be added):
                // anything else never will
                boolean canWait = sniff.format().isInvoice() && !sniff.buyerIdentifiers().isEmpty();
                status = canWait ? FlowStatus.UNROUTED : FlowStatus.REJECTED;
                rejection = unrouted(sniff);
                detail = rejection.summary();
            }
        }
        FlowStore.NewFlow flow = new FlowStore.NewFlow(communeId, stored.sha256(), fileName,
                sniff.format().name(), s.channel(), s.sender(), stored.size(), status, rejection, detail);
        // a file refused for its name is sent again under another one: that sending must be judged
        FlowStore.Received r = flows.receive(badName.isPresent() ? flow.notDeduplicated() : flow);
        if (!r.duplicate() && status == FlowStatus.REJECTED) {
            quarantine.put(r.flow());
        }
        if (r.flow().status() != FlowStatus.RECEIVED) {
            supplierReports.intakeAnswer(r.flow());
        }
        // every invoice is in the flow's history: the log names only what someone may have to look at
        if (r.duplicate() || r.flow().status() != FlowStatus.RECEIVED) {
            LOG.info("{} {} from {} ({}): flow {} {}", r.duplicate() ? "Duplicate" : "Received", fileName, s.sender(),
                    s.channel(), r.flow().id(), r.flow().status());
        } else {
            LOG.debug("Received {} from {} ({}): flow {}", fileName, s.sender(), s.channel(), r.flow().id());
        }
        return new IntakeReceipt(r.flow(), r.duplicate(), false);
    }

    /** Tries again to find the commune of unrouted flows (a commune may have been added since). */
    public int reroute() throws IOException {
        int routed = 0;
        for (Flow flow : flows.withStatus(FlowStatus.UNROUTED)) {
            FormatSniffer.Sniff sniff = sniffer.sniff(originals.path(flow.sha256()));
            Optional<Commune> buyer = tenants.communeForBuyer(sniff.buyerIdentifiers());
            if (buyer.isPresent() && flows.route(flow.id(), buyer.get().id(), "acheminé vers " + buyer.get().name())) {
                routed++;
            }
        }
        return routed;
    }

    private static Rejection unrouted(FormatSniffer.Sniff sniff) {
        if (sniff.format() == Format.PDF) {
            return new Rejection("routing", "ROUTING-FORMAT", null, "Ce PDF ne contient pas de facture structurée "
                    + "lisible (Factur-X) : déposé par SFTP, il ne peut être attribué à aucune commune. Envoyez la "
                    + "facture au format Factur-X, UBL ou CII.");
        }
        if (!sniff.format().isInvoice()) {
            return new Rejection("routing", "ROUTING-FORMAT", null, "Ce fichier (" + sniff.format().label()
                    + ") ne désigne pas d'acheteur : par SFTP, seuls les fournisseurs déposent des factures ; "
                    + "les flux PES sont envoyés par la commune (API ou dossier de dépôt).");
        }
        if (sniff.buyerIdentifiers().isEmpty()) {
            return new Rejection("routing", "ROUTING-BUYER", "BT-46/BT-47", "Aucun identifiant SIRET ou SIREN "
                    + "d'acheteur n'a pu être lu dans la facture : déposée par SFTP, elle ne peut être attribuée à "
                    + "aucune commune. Indiquez le SIRET ou le SIREN de la commune acheteuse (BT-46/BT-47).");
        }
        return new Rejection("routing", "ROUTING-BUYER", "BT-46/BT-47", "L'acheteur désigné par la facture ("
                + String.join(", ", sniff.buyerIdentifiers()) + ") n'est aucune des communes de la plateforme : "
                + "la facture attend d'être attribuée.");
    }
}
