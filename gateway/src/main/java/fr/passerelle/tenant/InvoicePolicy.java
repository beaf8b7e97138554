package fr.passerelle.tenant;

/**
 * What a commune accepts from its suppliers (tenants.yaml, "invoices:"): unstructured PDFs,
 * MINIMUM / BASIC WL invoices (not full invoices under EN 16931), and which references it needs
 * to book an invoice (service code BT-10, commitment number BT-13).
 */
public record InvoicePolicy(boolean acceptPlainPdf, boolean rejectMinimumProfiles, boolean requireServiceCode,
                            boolean requireCommitmentNumber) {

    /** Defaults: no unstructured PDF; MINIMUM / BASIC WL accepted with a warning; no reference required. */
    public static final InvoicePolicy DEFAULT = new InvoicePolicy(false, false, false, false);
}
