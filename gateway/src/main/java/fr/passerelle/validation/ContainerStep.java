package fr.passerelle.validation;

import fr.passerelle.intake.Format;
import fr.passerelle.xml.XmlLimits;

/**
 * The container layer of a PDF: opened once (bounds, PDF/A, XMP, attachment), it gives the
 * Factur-X XML to the next layers, or ends the check when there is none to give.
 */
final class ContainerStep implements ValidationStep {

    private final long maxXmlBytes;
    private final boolean checkPdfA;
    private final PdfLimits pdfLimits;
    private final XmlLimits xmlLimits;

    ContainerStep(long maxXmlBytes, boolean checkPdfA, PdfLimits pdfLimits, XmlLimits xmlLimits) {
        this.maxXmlBytes = maxXmlBytes;
        this.checkPdfA = checkPdfA;
        this.pdfLimits = pdfLimits;
        this.xmlLimits = xmlLimits;
    }

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        return check.ended() || !check.pdf;
    }

    @Override
    public void check(InvoiceCheck check) {
        check.ran(Layer.CONTAINER);
        FacturXContainer.Result container = FacturXContainer.open(check.path, maxXmlBytes, checkPdfA, pdfLimits,
                xmlLimits);
        check.addAll(container.findings());
        if (container.attachmentName() != null) {
            check.format = Format.FACTURX_PDF.name();
        }
        if (container.unstructured()) {
            check.format = Format.PDF.name();
            boolean accepted = check.expectedPolicy.acceptPlainPdf();
            check.add(new Finding(Layer.CONTAINER, "PDF-UNSTRUCTURED", accepted ? Severity.WARNING : Severity.ERROR, null,
                    "Ce PDF ne contient pas de facture structurée (Factur-X) : "
                            + (accepted ? "la commune l'accepte, mais il devra être saisi à la main."
                            : "la commune n'accepte que des factures électroniques structurées "
                            + "(Factur-X, UBL ou CII)."), "no factur-x.xml attachment"));
            check.end();
            return;
        }
        if (container.zugferd1()) {
            check.format = Format.ZUGFERD1_PDF.name();
            check.add(new Finding(Layer.CONTAINER, "FX-ZUGFERD1", Severity.ERROR, container.attachmentName(),
                    "Cette facture est au format ZUGFeRD 1.0, qui n'est plus accepté : demandez au "
                            + "fournisseur une facture Factur-X (ZUGFeRD 2.x).", "ZUGFeRD 1.0"));
            check.end();
            return;
        }
        // a fatal container error (broken PDF) stops here even before the usual stop at errors,
        // which lets the XML layer read the attachment of a merely non-conforming PDF/A
        if (container.xml() == null || (container.fatal() && !check.options.allLayers())) {
            check.end();
            return;
        }
        check.xml = container.xml();
        check.scanned(container.xml(), container.scanOfXml());
        check.facturX = true;
        check.xmpLevel = container.xmpConformanceLevel();
    }
}
