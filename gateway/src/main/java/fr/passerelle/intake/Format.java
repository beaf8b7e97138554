package fr.passerelle.intake;

/** What a file is, as intake can tell from its bytes alone. */
public enum Format {
    FACTURX_PDF("Factur-X / ZUGFeRD 2.x PDF"),
    ZUGFERD1_PDF("ZUGFeRD 1.0 PDF"),
    PDF("PDF sans données structurées"),
    UBL_INVOICE("UBL 2.1 Invoice"),
    UBL_CREDITNOTE("UBL 2.1 CreditNote"),
    CII("UN/CEFACT CII"),
    PES_ALLER("PES_Aller"),
    PES_ACQUIT("PES_ACQUIT"),
    PES_RETOUR("PES_Retour"),
    UNKNOWN("format inconnu");

    private final String label;

    Format(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isInvoice() {
        return this == FACTURX_PDF || this == UBL_INVOICE || this == UBL_CREDITNOTE || this == CII;
    }
}
