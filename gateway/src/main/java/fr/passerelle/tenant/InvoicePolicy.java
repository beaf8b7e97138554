package fr.passerelle.tenant;

/**
 * What a commune accepts from its suppliers (tenants.yaml, "invoices:"): unstructured PDFs,
 * MINIMUM / BASIC WL invoices (not full invoices under EN 16931), which references it needs to book
 * an invoice (service code BT-10, commitment number BT-13), whether the French CTC rules judge
 * every invoice or only those that declare a French CTC specification, and the rules it chose to
 * relax ({@link Leniency}).
 */
public record InvoicePolicy(boolean acceptPlainPdf, boolean rejectMinimumProfiles, boolean requireServiceCode,
                            boolean requireCommitmentNumber, boolean frenchRulesForAll, Leniency leniency) {

    /**
     * Defaults: no unstructured PDF; MINIMUM / BASIC WL accepted with a warning; no reference
     * required; French rules for invoices that declare them; every error an error.
     */
    public static final InvoicePolicy DEFAULT = new InvoicePolicy(false, false, false, false, false, Leniency.NONE);

    public InvoicePolicy(boolean acceptPlainPdf, boolean rejectMinimumProfiles, boolean requireServiceCode,
                         boolean requireCommitmentNumber) {
        this(acceptPlainPdf, rejectMinimumProfiles, requireServiceCode, requireCommitmentNumber, false, Leniency.NONE);
    }
}
