package fr.passerelle.chorus;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.tenant.ChorusProAccount;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;

/**
 * Tells Chorus Pro what became of each invoice pulled from it, from the state the pipeline left it
 * in: refused by validation → REJETEE (or SUSPENDUE, as the commune says) with the first error's
 * French message as motif; acknowledged by the treasury in a PES flow → MISE_A_DISPOSITION_COMPTABLE;
 * its mandate known (a relayed PES_Aller whose mandate references its PJ, acknowledged; or a
 * PES_Retour) → MANDATEE with the mandate number; the mandate paid (soldé) → MISE_EN_PAIEMENT. The statuses to send are worked out again at each round from what the
 * database holds (nothing to lose in a crash), in order per invoice, each checked against what
 * Chorus Pro allows from the invoice's current status before it is sent; the answers are kept in
 * the ledger and the flow's history. A round that cannot reach Chorus Pro leaves the invoice to a
 * growing back-off.
 */
public final class ChorusStatusPusher {

    private static final Logger LOG = LoggerFactory.getLogger(ChorusStatusPusher.class);
    public static final String MISE_A_DISPOSITION_COMPTABLE = "MISE_A_DISPOSITION_COMPTABLE";
    public static final String MANDATEE = "MANDATEE";
    public static final String MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT";
    static final String SENT = "SENT";
    static final String REFUSED = "REFUSED";
    static final String ALREADY = "ALREADY";
    private static final int MAX_MOTIF = 255;
    private static final int BATCH = 100;
    /** A transition Chorus Pro refused this many times (at each recheck) is given up, and stays in the history. */
    private static final int MAX_REFUSALS = 3;

    /** A status an invoice should have on Chorus Pro, with what goes with it. */
    record Wanted(String statut, String motif, String numeroDPMandat) {
    }

    private final ChorusProClient client;
    private final ChorusLedger ledger;
    private final FlowStore flows;
    private final TenantRegistry tenants;
    private final ChorusOptions options;
    private final Clock clock;
    private final MeterRegistry meters;
    /** How long an invoice with nothing left to send waits before it is looked at again (a PES_Retour may come). */
    private final Duration recheck;

    public ChorusStatusPusher(ChorusProClient client, ChorusLedger ledger, FlowStore flows, TenantRegistry tenants,
                              ChorusOptions options, Clock clock, MeterRegistry meters) {
        this.client = client;
        this.ledger = ledger;
        this.flows = flows;
        this.tenants = tenants;
        this.options = options;
        this.clock = clock;
        this.meters = meters;
        this.recheck = options.pollDelay().multipliedBy(10);
    }

    /** One round; answers how many statuses Chorus Pro took. */
    public int pushDue() {
        int sent = 0;
        for (ChorusLedger.PulledInvoice invoice : ledger.duePushes(BATCH)) {
            Optional<ChorusProAccount> account = tenants.commune(invoice.communeId()).map(Commune::chorusPro);
            Optional<Flow> flow = flows.find(invoice.flowId());
            if (account.isEmpty() || flow.isEmpty()) {
                ledger.recheckAt(invoice.idFacture(), OffsetDateTime.now(clock).plus(recheck));
                continue;
            }
            sent += push(invoice, account.get(), flow.get());
        }
        return sent;
    }

    private int push(ChorusLedger.PulledInvoice invoice, ChorusProAccount account, Flow flow) {
        List<ChorusLedger.StatusPushed> pushed = ledger.statuses(invoice.idFacture());
        int sent = 0;
        for (Wanted wanted : wanted(invoice, account, flow)) {
            if (done(pushed, wanted.statut())) {
                continue;
            }
            try {
                String outcome = send(invoice, account, wanted);
                if (SENT.equals(outcome)) {
                    sent++;
                } else if (REFUSED.equals(outcome) && !done(ledger.statuses(invoice.idFacture()), wanted.statut())) {
                    break; // refused for now (the invoice moved on Chorus Pro): the next ones wait, asked again later
                }
            } catch (ChorusProException e) {
                Duration wait = e.retryAfter() != null ? e.retryAfter() : options.backOff(invoice.pushFailures() + 1);
                ledger.pushFailed(invoice.idFacture(), OffsetDateTime.now(clock).plus(wait));
                LOG.warn("Chorus Pro status {} for invoice {} (flow {}) not sent, next try in {} s: {}", wanted.statut(),
                        invoice.idFacture(), flow.id(), wait.toSeconds(), e.getMessage());
                return sent; // in order: the next status waits for this one
            }
        }
        ledger.recheckAt(invoice.idFacture(), OffsetDateTime.now(clock).plus(recheck)); // nothing left for now
        return sent;
    }

    /** Sent, already there, or refused so often that asking again is pointless. */
    private static boolean done(List<ChorusLedger.StatusPushed> pushed, String statut) {
        long refusals = pushed.stream().filter(p -> p.statut().equals(statut) && REFUSED.equals(p.outcome())).count();
        return refusals >= MAX_REFUSALS || pushed.stream().anyMatch(p -> p.statut().equals(statut)
                && (SENT.equals(p.outcome()) || ALREADY.equals(p.outcome())));
    }

    /** Sends one status; the outcome recorded (SENT, ALREADY, REFUSED). Retryable failures are thrown. */
    private String send(ChorusLedger.PulledInvoice invoice, ChorusProAccount account, Wanted wanted)
            throws ChorusProException {
        long id = invoice.idFacture();
        String current = client.status(account, id);
        if (wanted.statut().equals(current)) {
            return record(invoice, wanted, ALREADY, 0, "la facture avait déjà ce statut sur Chorus Pro");
        }
        List<String> allowed = client.allowedStatuses(account, id);
        if (!allowed.contains(wanted.statut())) {
            return record(invoice, wanted, REFUSED, null, "transition non permise depuis " + current + " (permis : "
                    + String.join(", ", allowed) + ")");
        }
        try {
            JsonNode answer = client.setStatus(account, id, wanted.statut(), wanted.motif(), wanted.numeroDPMandat());
            return record(invoice, wanted, SENT, answer.path("codeRetour").asInt(0), answer.path("libelle").asText(""));
        } catch (ChorusProException e) {
            if (e.retryable() || e.codeRetour() == null) {
                throw e;
            }
            // two nodes may have sent it at once: the invoice has it now, whoever set it
            boolean already = wanted.statut().equals(client.status(account, id));
            return record(invoice, wanted, already ? ALREADY : REFUSED, e.codeRetour(), e.getMessage());
        }
    }

    private String record(ChorusLedger.PulledInvoice invoice, Wanted wanted, String outcome, Integer codeRetour,
                          String answer) {
        ledger.recordStatus(invoice.idFacture(), wanted.statut(), wanted.motif(), wanted.numeroDPMandat(), outcome,
                codeRetour, answer);
        String what = switch (outcome) {
            case SENT -> "envoyé";
            case ALREADY -> "déjà en place";
            default -> "refusé par Chorus Pro";
        };
        flows.note(invoice.flowId(), "Chorus Pro : statut " + wanted.statut() + " " + what
                + (wanted.numeroDPMandat() == null ? "" : " (mandat " + wanted.numeroDPMandat() + ")")
                + (codeRetour == null ? "" : ", codeRetour " + codeRetour) + (answer.isEmpty() ? "" : " — " + answer));
        Counter.builder("passerelle_chorus_statuses").description("Statuses pushed to Chorus Pro, by outcome")
                .tag("commune", invoice.communeId()).tag("statut", wanted.statut()).tag("outcome", outcome)
                .register(meters).increment();
        if (!SENT.equals(outcome)) {
            LOG.info("Chorus Pro status {} for invoice {} {}: {}", wanted.statut(), invoice.idFacture(), what, answer);
        }
        return outcome;
    }

    /** What the invoice should be told, in order, from where the pipeline left it. */
    List<Wanted> wanted(ChorusLedger.PulledInvoice invoice, ChorusProAccount account, Flow flow) {
        List<Wanted> wanted = new ArrayList<>();
        if (flow.status() == FlowStatus.REJECTED) {
            wanted.add(new Wanted(account.onRejected(), motif(flow), null));
        } else if (flow.status() == FlowStatus.ACKNOWLEDGED) {
            wanted.add(new Wanted(MISE_A_DISPOSITION_COMPTABLE, null, null));
            ledger.mandate(flow.id()).ifPresent(mandate -> {
                wanted.add(new Wanted(MANDATEE, null, mandate.idPce()));
                if (mandate.paid()) {
                    wanted.add(new Wanted(MISE_EN_PAIEMENT, null, null));
                }
            });
        }
        return wanted;
    }

    /** The first error's French message, as the accountant reads it, within Chorus Pro's 255 characters. */
    static String motif(Flow flow) {
        String message = flow.rejection() == null ? null : flow.rejection().message();
        String rule = flow.rejection() == null ? null : flow.rejection().rule();
        String motif = (rule == null ? "" : "[" + rule + "] ") + (message == null ? "Facture refusée par la commune."
                : message);
        return motif.length() <= MAX_MOTIF ? motif : motif.substring(0, MAX_MOTIF - 1) + "…";
    }
}
