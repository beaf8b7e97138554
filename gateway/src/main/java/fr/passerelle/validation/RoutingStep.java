package fr.passerelle.validation;

import java.util.Optional;

import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.InvoicePolicy;

/**
 * The routing layer: the buyer is one of the platform's communes, the one the invoice was sent
 * to, and the invoice carries the references that commune requires.
 */
final class RoutingStep implements ValidationStep {

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        return check.endedOrStopped() || check.cdar;
    }

    @Override
    public void check(InvoiceCheck check) {
        InvoiceValidator.Options options = check.options;
        if (options.tenants() == null) {
            check.note("routing layer skipped: no commune configured");
            return;
        }
        check.ran(Layer.ROUTING);
        InvoiceSummary summary = check.summary;
        Optional<Commune> buyer = options.tenants().communeForBuyer(summary.buyerIdentifiers());
        if (buyer.isEmpty()) {
            check.add(new Finding(Layer.ROUTING, "ROUTING-BUYER", Severity.ERROR, "BT-46/BT-47",
                    "L'acheteur de la facture (" + (summary.buyerIdentifiers().isEmpty() ? "aucun identifiant"
                            : String.join(", ", summary.buyerIdentifiers())) + ") n'est aucune des communes de la "
                            + "plateforme : indiquez le SIRET ou le SIREN de la commune destinataire.",
                    "buyer identifiers " + summary.buyerIdentifiers()));
            return;
        }
        Commune commune = buyer.get();
        if (options.communeId() != null && !options.communeId().equals(commune.id())) {
            check.add(new Finding(Layer.ROUTING, "ROUTING-OTHER-COMMUNE", Severity.ERROR, "BT-46/BT-47",
                    "Cette facture est adressée à " + commune.name() + ", et non à la commune à laquelle elle a "
                            + "été envoyée : envoyez-la à " + commune.name() + ".",
                    "buyer " + commune.id() + " != " + options.communeId()));
        }
        InvoicePolicy policy = commune.invoicePolicy();
        if (policy.requireServiceCode() && summary.serviceCode() == null) {
            check.add(new Finding(Layer.ROUTING, "ROUTING-SERVICE-CODE", Severity.ERROR, "BT-10",
                    commune.name() + " exige le code service (référence acheteur, BT-10) sur ses factures : "
                            + "demandez-le au service qui a passé la commande.", "BT-10 BuyerReference missing"));
        }
        if (policy.requireCommitmentNumber() && summary.commitmentNumber() == null) {
            check.add(new Finding(Layer.ROUTING, "ROUTING-COMMITMENT", Severity.ERROR, "BT-13",
                    commune.name() + " exige le numéro d'engagement (bon de commande, BT-13) sur ses factures.",
                    "BT-13 purchase order reference missing"));
        }
    }
}
