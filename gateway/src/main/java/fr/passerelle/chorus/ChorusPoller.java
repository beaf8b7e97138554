package fr.passerelle.chorus;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.flow.FlowStore;
import fr.passerelle.intake.IntakeReceipt;
import fr.passerelle.intake.Submission;
import fr.passerelle.tenant.ChorusProAccount;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;

/**
 * The chorus-pro intake channel: for each commune with a Chorus Pro account, asks for the invoices
 * whose state changed since its watermark (less an overlap), page by page, downloads each one not
 * pulled yet and hands it to intake like any channel (original kept, same flow, same validation).
 * An idFacture enters once: the ledger's key holds across restarts and nodes, and intake keeps
 * one flow per content. A commune whose calls fail waits a growing back-off; the others go on.
 */
public final class ChorusPoller {

    private static final Logger LOG = LoggerFactory.getLogger(ChorusPoller.class);

    private final ChorusProClient client;
    private final ChorusLedger ledger;
    private final FlowStore flows;
    private final TenantRegistry tenants;
    private final Function<Submission, IntakeReceipt> intake;
    private final ChorusOptions options;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private static final int MAX_PASSES = 3;

    public ChorusPoller(ChorusProClient client, ChorusLedger ledger, FlowStore flows, TenantRegistry tenants,
                        Function<Submission, IntakeReceipt> intake, ChorusOptions options, Clock clock,
                        MeterRegistry meters) {
        this.client = client;
        this.ledger = ledger;
        this.flows = flows;
        this.tenants = tenants;
        this.intake = intake;
        this.options = options;
        this.clock = clock;
        this.meters = meters;
    }

    /** One round over the communes; answers how many invoices entered. */
    public int pollAll() {
        int pulled = 0;
        for (Commune commune : tenants.communes()) {
            if (commune.chorusPro() != null && !clock.instant().isBefore(notBefore.getOrDefault(commune.id(), Instant.MIN))) {
                pulled += poll(commune);
            }
        }
        return pulled;
    }

    int poll(Commune commune) {
        ChorusProAccount account = commune.chorusPro();
        OffsetDateTime to = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime since = ledger.watermark(commune.id()).map(ChorusLedger.Watermark::since)
                .orElse(to.minus(options.firstReach()));
        OffsetDateTime from = since.minus(options.overlap());
        int pulled = 0;
        try {
            // pages are numbered over a result that moves (a status pushed meanwhile takes an invoice
            // out of the period, the next ones up a page): the watermark moves only after a pass
            // over every page took nothing new in, the last of at most MAX_PASSES
            boolean quiet = false;
            for (int pass = 0; pass < MAX_PASSES && !quiet; pass++) {
                int taken = pass(commune, account, from, to);
                pulled += taken;
                quiet = taken == 0;
            }
            ledger.polled(commune.id(), quiet ? to : since, null);
            failures.remove(commune.id());
            notBefore.remove(commune.id());
            if (pulled > 0) {
                LOG.info("Chorus Pro: {} invoice(s) pulled for {}", pulled, commune.id());
            }
        } catch (ChorusProException | RuntimeException e) {
            // whatever went wrong (Chorus Pro, an answer that cannot be read, intake), this commune
            // backs off and says why; the others go on
            int n = failures.merge(commune.id(), 1, Integer::sum);
            java.time.Duration wait = e instanceof ChorusProException c && c.retryAfter() != null ? c.retryAfter()
                    : options.backOff(n);
            notBefore.put(commune.id(), clock.instant().plus(wait));
            // the watermark stays: what was not reached is asked for again next time
            String why = e instanceof ChorusProException ? e.getMessage() : e.toString();
            ledger.polled(commune.id(), since, why);
            LOG.warn("Chorus Pro poll for {} failed ({} in a row), next in {} s: {}", commune.id(), n,
                    wait.toSeconds(), why);
        }
        return pulled;
    }

    private int pass(Commune commune, ChorusProAccount account, OffsetDateTime from, OffsetDateTime to)
            throws ChorusProException {
        int taken = 0;
        for (int page = 1; ; page++) {
            ChorusProClient.Page p = client.search(account, from, to, page);
            for (ChorusProClient.Received invoice : p.invoices()) {
                if (!ledger.known(invoice.idFacture()) && pull(commune, invoice)) {
                    taken++;
                }
            }
            if (page >= p.pages()) {
                return taken;
            }
        }
    }

    private boolean pull(Commune commune, ChorusProClient.Received invoice) throws ChorusProException {
        byte[] file;
        try {
            file = ChorusFiles.invoiceOf(client.download(commune.chorusPro(), invoice.idFacture()));
        } catch (ChorusProException e) {
            if (e.retryable() || e.httpStatus() != 413 && e.codeRetour() == null) {
                throw e; // unreachable, or the account refused (401, 403): the commune backs off, nothing set aside
            }
            return setAside(commune, invoice, e.getMessage());
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            return setAside(commune, invoice, e.getMessage());
        }
        IntakeReceipt receipt = intake.apply(new Submission(Submission.CHORUS_PRO,
                "chorus-pro:" + commune.chorusPro().structureId(), commune.id(), fileName(invoice, file),
                new ByteArrayInputStream(file)));
        String flowId = receipt.flow().id();
        if (!ledger.recordPulled(invoice.idFacture(), commune.id(), flowId, invoice.numeroFacture())) {
            return false; // another node, or this one before a crash, took it in: the same flow
        }
        flows.note(flowId, "Chorus Pro : facture " + invoice.numeroFacture() + " (idFacture " + invoice.idFacture()
                + ", statut " + invoice.statut() + ") reçue de la structure " + commune.chorusPro().structureId());
        Counter.builder("passerelle_chorus_invoices_pulled").description("Invoices pulled from Chorus Pro")
                .tag("commune", commune.id()).register(meters).increment();
        return true;
    }

    /** Too large (413), refused for good, or an archive without an invoice: the others go on; health lists it. */
    private boolean setAside(Commune commune, ChorusProClient.Received invoice, String why) {
        ledger.recordPullFailure(invoice.idFacture(), commune.id(), invoice.numeroFacture(), why);
        LOG.error("Chorus Pro invoice {} (n° {}) of {} cannot be taken in: {}; deal with it on the Chorus Pro portal",
                invoice.idFacture(), invoice.numeroFacture(), commune.id(), why);
        return false;
    }

    /** The invoice number as Chorus Pro gives it, safe as a file name, with the extension of what it is. */
    static String fileName(ChorusProClient.Received invoice, byte[] file) {
        String base = invoice.numeroFacture().replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isBlank()) {
            base = "chorus-" + invoice.idFacture();
        }
        String head = new String(file, 0, Math.min(file.length, 1024), StandardCharsets.ISO_8859_1);
        return base + (head.contains("%PDF-") ? ".pdf" : head.startsWith("PK") ? ".zip" : ".xml");
    }
}
