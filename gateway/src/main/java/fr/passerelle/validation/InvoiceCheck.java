package fr.passerelle.validation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.validation.Schema;

import net.sf.saxon.s9api.XdmNode;

import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.InvoicePolicy;

/**
 * The state of one invoice's validation, handed from step to step: what the earlier layers read
 * (bytes, format, parsed tree, summary), what they found, which layers ran. Not thread-safe: one
 * per invoice, used by one thread.
 */
final class InvoiceCheck {

    final Path path;
    final String displayName;
    final InvoiceValidator.Options options;
    /** The policy of the commune the invoice was sent to (the default one when none is known). */
    final InvoicePolicy expectedPolicy;
    private final long started = System.nanoTime();
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> layersRun = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean ended;
    private LargeInvoiceGate.Pass largeInvoicePass;

    // reported
    String format;
    String syntax;
    FacturXProfile profile;
    String guideline;
    InvoiceSummary summary;

    // passed from step to step
    /** The file is a PDF: the container step opens it. */
    boolean pdf;
    /** The invoice XML, read from the file or from the PDF's attachment. */
    byte[] xml;
    /** The XML came out of a Factur-X PDF (whose XMP declares a level, {@link #xmpLevel}). */
    boolean facturX;
    String xmpLevel;
    SummaryReader.Syntax summarySyntax;
    /** The schema the XML is checked against: the syntax's, or the Factur-X profile's. */
    Schema schema;
    /** The one tree of the invoice, shared by the summary and every Schematron layer. */
    XdmNode invoice;

    InvoiceCheck(Path path, String displayName, InvoiceValidator.Options options) {
        this.path = path;
        this.displayName = displayName;
        this.options = options;
        this.expectedPolicy = options.tenants() == null || options.communeId() == null ? InvoicePolicy.DEFAULT
                : options.tenants().commune(options.communeId()).map(Commune::invoicePolicy).orElse(InvoicePolicy.DEFAULT);
    }

    void add(Finding finding) {
        findings.add(finding);
    }

    void addAll(List<Finding> found) {
        findings.addAll(found);
    }

    void ran(Layer layer) {
        layersRun.add(layer.id());
    }

    void note(String note) {
        notes.add(note);
    }

    /** An earlier layer left nothing the next ones could check (no XML, not an invoice, …). */
    void end() {
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    /** The pyramid stops at the first layer with an error, unless all layers were asked for. */
    boolean stopsHere() {
        return !options.allLayers() && hasErrors();
    }

    /** Ended, or stopped at an error: the usual reason for a step to be skipped. */
    boolean endedOrStopped() {
        return ended || stopsHere();
    }

    boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    List<Finding> findings() {
        return List.copyOf(findings);
    }

    List<String> layersRun() {
        return List.copyOf(layersRun);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /** Held until the check is over: large invoices are judged one at a time. */
    void holdLargeInvoicePass(LargeInvoiceGate.Pass pass) {
        largeInvoicePass = pass;
    }

    void releaseLargeInvoicePass() {
        if (largeInvoicePass != null) {
            largeInvoicePass.close();
            largeInvoicePass = null;
        }
    }

    ValidationReport report(String processing, String error) {
        String verdict = null;
        if (ValidationReport.COMPLETED.equals(processing)) {
            boolean warnings = findings.stream().anyMatch(f -> f.severity() == Severity.WARNING);
            verdict = hasErrors() ? ValidationReport.REJECTED
                    : warnings ? ValidationReport.ACCEPTED_WITH_WARNINGS : ValidationReport.ACCEPTED;
        }
        return new ValidationReport(displayName, processing, error, verdict, format, syntax,
                profile == null ? null : profile.label(), summary, List.copyOf(findings), List.copyOf(layersRun),
                List.copyOf(notes), (System.nanoTime() - started) / 1_000_000, false);
    }
}
