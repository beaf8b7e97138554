package fr.passerelle.validation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import net.sf.saxon.s9api.SaxonApiException;

import fr.passerelle.intake.FormatSniffer;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.xml.XmlLimits;

/**
 * The validation pyramid: container → XML → schema → EN 16931 → profile / national rules →
 * routing. It stops at the first layer with an error (a broken PDF is not schema-checked) unless
 * asked for all layers, and reports every finding of the layers that ran. Thread-safe: one
 * instance serves the whole gateway; its artefacts are compiled once.
 */
public final class InvoiceValidator {

    /**
     * What the caller knows: all layers or not; the communes (null: routing skipped); the expected
     * commune; the day the invoice was received, which picks the French rules it is judged by (null: today).
     */
    public record Options(boolean allLayers, TenantRegistry tenants, String communeId, LocalDate receivedOn) {
        public Options(boolean allLayers, TenantRegistry tenants, String communeId) {
            this(allLayers, tenants, communeId, null);
        }

        public static Options standalone(boolean allLayers) {
            return new Options(allLayers, null, null);
        }
    }

    /** The pyramid, in order; built once, its steps shared by every invoice and thread. */
    private final List<ValidationStep> steps;

    public InvoiceValidator(ValidationArtefacts artefacts, long maxXmlBytes, boolean checkPdfA) {
        this(artefacts, maxXmlBytes, checkPdfA, XmlLimits.INVOICE, PdfLimits.DEFAULT);
    }

    /** With the bounds every file is checked against before it is parsed as a tree or validated. */
    public InvoiceValidator(ValidationArtefacts artefacts, long maxXmlBytes, boolean checkPdfA, XmlLimits xmlLimits,
                            PdfLimits pdfLimits) {
        this(artefacts, maxXmlBytes, checkPdfA, xmlLimits, pdfLimits, LargeInvoiceGate.NONE);
    }

    /** The same, large invoices judged one at a time (the gateway's judges work in parallel). */
    public InvoiceValidator(ValidationArtefacts artefacts, long maxXmlBytes, boolean checkPdfA, XmlLimits xmlLimits,
                            PdfLimits pdfLimits, LargeInvoiceGate largeInvoices) {
        FormatSniffer sniffer = new FormatSniffer(xmlLimits, XmlLimits.PES, pdfLimits.maxAttachmentSize());
        RuleMessages messages = new RuleMessages();
        this.steps = List.of(
                new FormatStep(sniffer, maxXmlBytes, xmlLimits),
                new ContainerStep(maxXmlBytes, checkPdfA, pdfLimits, xmlLimits),
                new XmlStep(artefacts, new SummaryReader(artefacts.saxon()), xmlLimits, largeInvoices),
                new FacturXProfileStep(artefacts),
                new SchemaStep(),
                new En16931Step(artefacts, messages),
                new FacturXRulesStep(artefacts, messages),
                new BrFrStep(artefacts, messages),
                new RoutingStep());
    }

    /** The steps in the order they run (for tests that set an invoice up to one of them). */
    List<ValidationStep> steps() {
        return steps;
    }

    public ValidationReport validate(Path file, String displayName, Options options) {
        InvoiceCheck check = new InvoiceCheck(file, displayName, options);
        try {
            run(check);
            return check.report(ValidationReport.COMPLETED, null);
        } catch (IOException | SaxonApiException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // the limits are checked before any tree is built: an Error here is a bound that failed to
            // hold, and still never escapes (the thread's stack is unwound by now, its heap collectable)
            // could not finish: that is never a verdict. The stored path of the file is not for the reader.
            String why = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage())
                    .replace(file.toAbsolutePath().toString(), displayName).replace(file.toString(), displayName);
            ValidationReport failed = check.report(ValidationReport.FAILED, why);
            return e instanceof IOException || e instanceof OutOfMemoryError ? failed.retryable() : failed;
        }
    }

    private void run(InvoiceCheck check) throws IOException, SaxonApiException {
        try {
            for (ValidationStep step : steps) {
                if (!step.isSkipped(check)) {
                    step.check(check);
                }
            }
        } finally {
            check.releaseLargeInvoicePass();
        }
    }
}
