package fr.passerelle.treasury;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.document.Rejection;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;

/**
 * What comes back from the treasury: each file of a response folder is kept, then read. An
 * acquittement (name with ACK) is matched with its flow by NomFic and CodCol, which becomes
 * ACKNOWLEDGED or REFUSED with what it said of each item, each PJ marking its invoice; a PES_Retour
 * (PES2R…) attaches piece states to the flows and invoices it names. The commune's outbox gets a
 * copy for its accounting software. A file that cannot be read or matched is quarantined, recorded
 * and raises an alert: never dropped.
 */
public final class TreasuryReturns {

    private static final Logger LOG = LoggerFactory.getLogger(TreasuryReturns.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final TransmissionStore transmissions;
    private final OriginalStore originals;
    private final TenantRegistry tenants;
    private final Notices notices;
    private final Path outbox;
    private final Path quarantine;
    private final Clock clock;

    public TreasuryReturns(TransmissionStore transmissions, OriginalStore originals, TenantRegistry tenants,
                           Notices notices, Path outbox, Path quarantine, Clock clock) {
        this.transmissions = transmissions;
        this.originals = originals;
        this.tenants = tenants;
        this.notices = notices;
        this.outbox = outbox;
        this.quarantine = quarantine;
        this.clock = clock;
    }

    /**
     * Takes one return file; answers the notices for the communes (status changes), possibly none.
     * Only an I/O or database failure throws: the file then stays on the server for the next poll.
     */
    public List<String> take(InputStream content, String fileName, String endpoint) throws IOException {
        OriginalStore.Stored stored = originals.store(content, Long.MAX_VALUE);
        String name = Path.of(fileName).getFileName().toString();
        if (name.startsWith("PES2R")) {
            return retour(stored.sha256(), name, endpoint);
        }
        return acquit(stored.sha256(), name, endpoint);
    }

    private List<String> acquit(String sha, String name, String endpoint) throws IOException {
        Acquittement ack;
        try (InputStream in = originals.open(sha)) {
            ack = AcquitReader.read(in);
        } catch (ReturnFileException e) {
            quarantine(sha, name, endpoint, "ACQUIT", e.ruleId() + " : " + e.getMessage());
            return List.of();
        }
        Optional<TransmissionStore.Transmission> match = transmissionOf(ack.nomFic(), ack.codCol());
        if (match.isEmpty()) {
            quarantine(sha, name, endpoint, "ACQUIT", "RETOUR-NON-RAPPROCHE : aucun flux transmis ne porte le NomFic "
                    + ack.nomFic() + (ack.codCol() == null ? "" : " pour le CodCol " + ack.codCol()));
            return List.of();
        }
        TransmissionStore.Transmission tx = match.get();
        List<String> said = new ArrayList<>(renameAttested(tx));
        boolean accepted = ack.accepted();
        List<TransmissionStore.PjOutcome> pjs = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        Rejection why = null;
        for (AckItem item : ack.items()) {
            lines.add(item.describe());
            Rejection itemWhy = item.ok() ? null : rejectionOf(item);
            if (why == null && itemWhy != null) {
                why = itemWhy;
            }
            if (item.idUnique() != null && item.domain() == 4) {
                pjs.add(new TransmissionStore.PjOutcome(item.idUnique(), item.ok(), itemWhy, item.describe()));
            }
        }
        if (!accepted && why == null) {
            why = new Rejection("treasury", "ACQUIT-VIDE", null, "l'acquittement ne contient aucun élément accepté");
        }
        long refused = ack.items().stream().filter(i -> !i.ok()).count();
        String summary = "acquittement " + name + " : " + (ack.items().size() - refused) + " élément(s) accepté(s), "
                + refused + " refusé(s)";
        TransmissionStore.ReturnFile file = new TransmissionStore.ReturnFile(TransmissionStore.newReturnId(), endpoint,
                name, "ACQUIT", sha, now(), tx.flowId(), accepted ? "ACCEPTED" : "REFUSED", why == null ? null
                : why.summary(), JSON.writeValueAsString(ack));
        boolean applied = transmissions.acknowledge(tx.flowId(), accepted, why, summary, file, pjs);
        copyToOutbox(sha, name, tx.communeId());
        if (!applied) {
            LOG.warn("Acquittement {} for flow {} which is not SENT any more: recorded as a duplicate", name, tx.flowId());
            if (!transmissions.returnTaken(endpoint, name, sha, "ACCEPTED", "REFUSED")) {
                return List.of();
            }
            // this very file was applied before a crash that may have lost its notice: the commune hears it
            // again rather than never (webhooks are at least once)
        }
        LOG.info("Flow {} ({}) {} by the treasury ({})", tx.flowId(), tx.nomFic(), accepted ? "ACKNOWLEDGED" : "REFUSED",
                summary);
        said.add(notices.statusChange(tx.flowId(), accepted ? FlowStatus.ACKNOWLEDGED : FlowStatus.REFUSED, why,
                summary, lines));
        return said;
    }

    /**
     * An acquittement for a flow whose transmission was never confirmed (the node that renamed it
     * died before recording it): the treasury answering is the proof that it has the file. The flow
     * is SENT first (its pieces indexed for the PES_Retour to come), then acknowledged; the delivery,
     * woken later, finds it done.
     */
    private List<String> renameAttested(TransmissionStore.Transmission tx) throws IOException {
        if (tx.state() == TransmissionStore.State.SENT) {
            return List.of();
        }
        String signed = transmissions.signedFile(tx.flowId()).orElse(null);
        if (signed == null) {
            return List.of();
        }
        List<PieceIndex.Piece> pieces;
        try (InputStream in = originals.open(signed)) {
            pieces = PieceIndex.read(in).pieces();
        } catch (javax.xml.stream.XMLStreamException e) {
            throw new IOException("signed flow " + tx.flowId() + " unreadable: " + e.getMessage(), e);
        }
        if (!transmissions.sent(tx.flowId(), tx.remoteName() + " (" + tx.endpoint() + "), renommage attesté par "
                + "l'acquittement", pieces)) {
            return List.of();
        }
        LOG.warn("Flow {} ({}): its rename was never confirmed, the acquittement proves it happened: SENT", tx.flowId(),
                tx.nomFic());
        return List.of(notices.statusChange(tx.flowId(), FlowStatus.SENT, null, "déposé chez le comptable sous "
                + tx.remoteName()));
    }

    private static Rejection rejectionOf(AckItem item) {
        AckError first = item.errors().isEmpty() ? null : item.errors().get(0);
        String location = item.idUnique() != null ? "PJ " + item.idUnique()
                : item.numBord() != null ? "Bordereau " + item.numBord() + (item.exerciceBord() == null ? ""
                : " (exercice " + item.exerciceBord() + ")") : "domaine " + item.domainLabel();
        if (first != null && first.numPiece() != null) {
            location += ", pièce " + first.numPiece();
        }
        return new Rejection("treasury", first == null || first.code() == null ? "ACQUIT-KO" : first.code(), location,
                first == null || first.libelle() == null ? item.describe() : first.libelle());
    }

    /** The transmission an acquittement answers: same NomFic (with or without .xml), same CodCol. */
    private Optional<TransmissionStore.Transmission> transmissionOf(String nomFic, String codCol) {
        if (nomFic == null) {
            return Optional.empty();
        }
        List<TransmissionStore.Transmission> candidates = new ArrayList<>(transmissions.byNomFic(nomFic));
        if (nomFic.endsWith(".xml")) {
            candidates.addAll(transmissions.byNomFic(nomFic.substring(0, nomFic.length() - 4)));
        }
        List<TransmissionStore.Transmission> matching = candidates.stream()
                .filter(t -> codCol == null || tenants.commune(t.communeId()).map(Commune::codCol)
                        .map(codCol::equals).orElse(false))
                .toList();
        return matching.size() == 1 ? Optional.of(matching.get(0)) : Optional.empty();
    }

    private List<String> retour(String sha, String name, String endpoint) throws IOException {
        if (transmissions.returnTaken(endpoint, name, sha, "APPLIED")) {
            // taken again after a crash between its recording and its deletion from the server
            LOG.info("PES_Retour {} from {} was applied already: not applied twice", name, endpoint);
            return List.of();
        }
        Retour retour;
        try (InputStream in = originals.open(sha)) {
            retour = RetourReader.read(in);
        } catch (ReturnFileException e) {
            quarantine(sha, name, endpoint, "RETOUR", e.ruleId() + " : " + e.getMessage());
            return List.of();
        }
        Optional<Commune> commune = tenants.communes().stream()
                .filter(c -> c.siret().equals(retour.idColl()) || (c.idPost().equals(retour.idPost())
                        && c.codCol().equals(retour.codCol())))
                .findFirst();
        if (commune.isEmpty()) {
            quarantine(sha, name, endpoint, "RETOUR", "RETOUR-NON-RAPPROCHE : aucune commune ne correspond à IdColl "
                    + retour.idColl() + " / CodCol " + retour.codCol());
            return List.of();
        }
        List<TransmissionStore.PieceStateRow> states = new ArrayList<>();
        String flowId = null;
        for (PieceState piece : retour.pieces()) {
            TransmissionStore.PjPlace place = transmissions.placeOfPiece(commune.get().id(), piece.domain(),
                    piece.exercice(), piece.idBord(), piece.idPce()).orElse(null);
            for (String idUnique : place != null ? List.<String>of() : piece.pjIdUniques()) {
                place = transmissions.placeOfPj(commune.get().id(), idUnique).orElse(null);
                if (place != null) {
                    break;
                }
            }
            if (place != null && flowId == null) {
                flowId = place.flowId();
            }
            states.add(new TransmissionStore.PieceStateRow(commune.get().id(), place == null ? null : place.flowId(),
                    place == null ? null : place.invoiceFlowId(), piece.exercice(), piece.idBord(), piece.idPce(),
                    piece.etatPce(), piece.etatLabel(), piece.dateEtat(), describe(piece)));
        }
        if (states.stream().allMatch(s -> s.flowId() == null)) {
            quarantine(sha, name, endpoint, "RETOUR", "RETOUR-NON-RAPPROCHE : aucune des " + states.size()
                    + " pièce(s) du PES_Retour ne correspond à une pièce transmise par la passerelle pour "
                    + commune.get().id());
            return List.of();
        }
        transmissions.applyRetour(new TransmissionStore.ReturnFile(TransmissionStore.newReturnId(), endpoint, name,
                "RETOUR", sha, now(), flowId, "APPLIED", null, JSON.writeValueAsString(retour)), states);
        copyToOutbox(sha, name, commune.get().id());
        LOG.info("PES_Retour {}: {} piece state(s) for {}", name, states.size(), commune.get().id());
        return List.of();
    }

    private static String describe(PieceState p) {
        StringBuilder s = new StringBuilder("pièce ").append(p.idPce()).append(" du bordereau ").append(p.idBord())
                .append(" (").append(p.exercice()).append(") : ").append(p.etatLabel());
        if (p.motif() != null) {
            s.append(" — ").append(p.motif());
        }
        return s.toString();
    }

    private void copyToOutbox(String sha, String name, String communeId) throws IOException {
        Path folder = outbox.resolve(communeId);
        Files.createDirectories(folder);
        Path temp = folder.resolve("." + name + ".tmp");
        try (InputStream in = originals.open(sha)) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temp, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void quarantine(String sha, String name, String endpoint, String kind, String reason) throws IOException {
        Path folder = quarantine.resolve(endpoint);
        Files.createDirectories(folder);
        try (InputStream in = originals.open(sha)) {
            Files.copy(in, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        transmissions.recordReturn(new TransmissionStore.ReturnFile(TransmissionStore.newReturnId(), endpoint, name,
                kind, sha, now(), null, "QUARANTINED", reason, null));
        LOG.error("ALERT: return file {} from {} quarantined under {}: {}", name, endpoint, folder, reason);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
