package fr.passerelle.tenant;

import java.util.List;

/**
 * One commune sharing the platform. Its identifiers are those the Trésor public knows:
 * IdPost (poste comptable), CodCol, CodBud; its API keys are stored as SHA-256 hashes only.
 * PES flows are signed per Bordereau, or as a whole file where signWholeFile says so; they leave
 * for the treasury within the commune's transmission rules, and its webhook hears of their status.
 */
public record Commune(
        String id,
        String name,
        String siret,
        String siren,
        String idPost,
        String codCol,
        List<String> codBuds,
        List<String> apiKeyHashes,
        String signingKey,
        String treasuryEndpoint,
        InvoicePolicy invoicePolicy,
        boolean signWholeFile,
        /* null: the platform's defaults (passerelle.treasury.*) */
        TransmissionRules transmission,
        /* null: no webhook */
        Webhook webhook,
        /* null: the commune does not receive its invoices from Chorus Pro */
        ChorusProAccount chorusPro) {

    public Commune(String id, String name, String siret, String siren, String idPost, String codCol, List<String> codBuds,
                   List<String> apiKeyHashes, String signingKey, String treasuryEndpoint, InvoicePolicy invoicePolicy,
                   boolean signWholeFile, TransmissionRules transmission, Webhook webhook) {
        this(id, name, siret, siren, idPost, codCol, codBuds, apiKeyHashes, signingKey, treasuryEndpoint, invoicePolicy,
                signWholeFile, transmission, webhook, null);
    }

    /** True when an invoice's buyer identifier (SIRET or SIREN) designates this commune. */
    public boolean isBuyer(String identifier) {
        String id = Siret.normalise(identifier);
        return id.equals(siret) || id.equals(siren);
    }
}
