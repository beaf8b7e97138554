package fr.passerelle.chorus.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import fr.passerelle.chorus.simulator.ChorusProSimulator.StatusChange;
import fr.passerelle.chorus.simulator.StatusRules.Refusal;

/**
 * The invoices deposited for the simulated recipients, their statuses and histories. Every method is synchronized:
 * the HTTP server's threads and the test calling {@link ChorusProSimulator} share it.
 */
final class SimulatedInvoices {

    /** An invoice as it stands (immutable; its file is read with {@link #content}). */
    record Invoice(long idFacture, long idDestinataire, String codeDestinataire, String numeroFacture, String fileName,
                   BigDecimal montantTTC, Instant dateDepot, String statut, Instant dateHeureEtatCourant,
                   boolean telechargee) {
    }

    /** What a status change came to: the invoice after it (unchanged when refused), its status before, the refusal. */
    record Outcome(Invoice invoice, String previous, Refusal refusal) {
    }

    /** Search criteria; null members are not filtered on. The period is inclusive-from, exclusive-to. */
    record Criteria(Long idDestinataire, String typeDemandePaiement, Instant du, Instant au, Set<String> statuts,
                    Boolean telechargee) {
    }

    static final String FACTURE = "FACTURE";
    static final Comparator<Invoice> BY_STATE_TIME =
            Comparator.comparing(Invoice::dateHeureEtatCourant).thenComparingLong(Invoice::idFacture);

    private final Map<Long, Invoice> invoices = new LinkedHashMap<>();
    private final Map<Long, byte[]> contents = new LinkedHashMap<>();
    private final Map<Long, List<StatusChange>> histories = new LinkedHashMap<>();
    private long nextId;

    SimulatedInvoices(long firstId) {
        this.nextId = firstId;
    }

    synchronized Invoice deposit(long idDestinataire, String codeDestinataire, String numeroFacture, String fileName,
                                 byte[] content, BigDecimal montantTTC, Instant now) {
        Objects.requireNonNull(numeroFacture, "numeroFacture");
        Objects.requireNonNull(content, "content");
        long id = nextId++;
        Invoice invoice = new Invoice(id, idDestinataire, codeDestinataire, numeroFacture,
                fileName == null ? numeroFacture : fileName, montantTTC == null ? BigDecimal.ZERO : montantTTC,
                now, StatusRules.MISE_A_DISPOSITION, now, false);
        invoices.put(id, invoice);
        contents.put(id, content.clone());
        List<StatusChange> history = new ArrayList<>();
        history.add(new StatusChange(StatusRules.DEPOSEE, null, null, ChorusProSimulator.paris(now)));
        history.add(new StatusChange(StatusRules.MISE_A_DISPOSITION, null, null, ChorusProSimulator.paris(now)));
        histories.put(id, history);
        return invoice;
    }

    synchronized Optional<Invoice> find(long idFacture) {
        return Optional.ofNullable(invoices.get(idFacture));
    }

    synchronized byte[] content(long idFacture) {
        byte[] content = contents.get(idFacture);
        return content == null ? null : content.clone();
    }

    /** Oldest state first (dateHeureEtatCourant, then idFacture). */
    synchronized List<Invoice> search(Criteria c) {
        Predicate<Invoice> matches = i -> (c.idDestinataire() == null || c.idDestinataire() == i.idDestinataire())
                && (c.typeDemandePaiement() == null || FACTURE.equals(c.typeDemandePaiement()))
                && (c.du() == null || !i.dateHeureEtatCourant().isBefore(c.du()))
                && (c.au() == null || i.dateHeureEtatCourant().isBefore(c.au()))
                && (c.statuts() == null || c.statuts().isEmpty() || c.statuts().contains(i.statut()))
                && (c.telechargee() == null || c.telechargee() == i.telechargee());
        return invoices.values().stream().filter(matches).sorted(BY_STATE_TIME).toList();
    }

    /** Oldest change first. */
    synchronized List<StatusChange> history(long idFacture) {
        List<StatusChange> history = histories.get(idFacture);
        return history == null ? List.of() : List.copyOf(history);
    }

    synchronized void markDownloaded(long idFacture) {
        invoices.computeIfPresent(idFacture, (id, i) -> new Invoice(i.idFacture(), i.idDestinataire(),
                i.codeDestinataire(), i.numeroFacture(), i.fileName(), i.montantTTC(), i.dateDepot(), i.statut(),
                i.dateHeureEtatCourant(), true));
    }

    /** Checks and records a status set by the recipient; null when the invoice is unknown. */
    synchronized Outcome setStatus(long idFacture, String nouveauStatut, String motif, String numeroDPMandat, Instant now) {
        Invoice i = invoices.get(idFacture);
        if (i == null) {
            return null;
        }
        Refusal refusal = StatusRules.check(i.statut(), nouveauStatut, motif, numeroDPMandat);
        if (refusal != null) {
            return new Outcome(i, i.statut(), refusal);
        }
        Invoice changed = new Invoice(i.idFacture(), i.idDestinataire(), i.codeDestinataire(), i.numeroFacture(),
                i.fileName(), i.montantTTC(), i.dateDepot(), nouveauStatut, now, i.telechargee());
        invoices.put(idFacture, changed);
        histories.get(idFacture).add(new StatusChange(nouveauStatut, blankToNull(motif), blankToNull(numeroDPMandat),
                ChorusProSimulator.paris(now)));
        return new Outcome(changed, i.statut(), null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
