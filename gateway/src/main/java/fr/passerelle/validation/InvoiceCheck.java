package fr.passerelle.validation;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.validation.Schema;

import net.sf.saxon.s9api.XdmNode;

import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.InvoicePolicy;
import fr.passerelle.xml.XmlScan;

/**
 * The state of one invoice's validation, handed from step to step: what the earlier layers read
 * (bytes, format, parsed tree, summary), what they found, which layers ran. Not thread-safe: one
 * per invoice, used by one thread.
 */
final class InvoiceCheck {

    static final ZoneId FRANCE = ZoneId.of("Europe/Paris");

    final Path path;
    final String displayName;
    final InvoiceValidator.Options options;
    /** The policy of the commune the invoice was sent to (the default one when none is known). */
    final InvoicePolicy expectedPolicy;
    /** The day the invoice was received (in France): it picks the French rules that judge it. */
    final LocalDate receivedOn;
    private final long started = System.nanoTime();
    private final List<Finding> findings = new ArrayList<>();
    /** "rule|location" of every finding: two rule sets reporting the same thing are told once, without a scan. */
    private final Set<String> places = new HashSet<>();
    private final List<String> layersRun = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Which rule sets judged the invoice, by family (en16931, fr.ctc, facturx), with their versions. */
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, ValidationReport.Relaxation> relaxed = new LinkedHashMap<>();
    private boolean ended;
    private LargeInvoiceGate.Pass largeInvoicePass;

    // reported
    String format;
    String syntax;
    FacturXProfile profile;
    String guideline;
    /** A lifecycle status message (CDAR) rather than an invoice: its schema and the French BR-FR-CDV rules. */
    boolean cdar;
    /** BT-23, the business process: in France, the billing mode (cadre de facturation). */
    String process;
    InvoiceSummary summary;

    // passed from step to step
    /** The file is a PDF: the container step opens it. */
    boolean pdf;
    /** The invoice XML, read from the file or from the PDF's attachment. */
    byte[] xml;
    /** The limits pre-pass the format layer made, and the bytes it made it of. */
    private XmlScan.Result xmlScan;
    private byte[] xmlScanned;
    /** The schema findings the parse gave, with the bytes and schema it checked. */
    private SchemaCheckOfParse schemaCheckOfParse;
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
        this.receivedOn = options.receivedOn() != null ? options.receivedOn() : LocalDate.now(FRANCE);
    }

    /** Adds a finding; an error the commune's policy relaxes becomes a warning, and the report says so. */
    void add(Finding finding) {
        // only the rules of the standards may be relaxed: never the container, XML, schema or routing checks
        boolean relaxable = finding.layer() == Layer.EN16931 || finding.layer() == Layer.PROFILE;
        String policyRule = finding.severity() == Severity.ERROR && relaxable
                ? expectedPolicy.leniency().relaxing(finding.rule()) : null;
        places.add(place(finding));
        if (policyRule == null) {
            findings.add(finding);
            return;
        }
        findings.add(new Finding(finding.layer(), finding.rule(), Severity.WARNING, finding.location(),
                finding.message() + " (Règle assouplie par la commune : " + expectedPolicy.leniency().by() + ".)",
                finding.text()));
        relaxed.merge(finding.rule(), new ValidationReport.Relaxation(finding.rule(), policyRule,
                        expectedPolicy.leniency().by(), options.communeId(), 1),
                (a, b) -> new ValidationReport.Relaxation(a.rule(), a.policyRule(), a.by(), a.commune(),
                        a.findings() + 1));
    }

    /** Adds a finding unless another rule set already reported the same rule at the same place. */
    void addUnlessFound(Finding finding) {
        if (!places.contains(place(finding))) {
            add(finding);
        }
    }

    private static String place(Finding f) {
        return f.rule() + "|" + f.location();
    }

    void addAll(List<Finding> found) {
        found.forEach(this::add);
    }

    /** The invoice declares itself French: a billing mode of the reform in BT-23, or a French CTC profile in BT-24. */
    boolean declaresFrench() {
        return guideline != null && guideline.toLowerCase(java.util.Locale.ROOT).contains("ctc-fr")
                || process != null && process.trim().matches("[BSM][1-8]");
    }

    /**
     * A French invoice that extends EN 16931 ("…#conformant#…" in BT-24, EXTENDED-CTC-FR): judged by
     * the EXTENDED-CTC-FR rules, CEN's binding widened to the extension, not by CEN's core rules.
     */
    boolean frenchExtension() {
        return declaresFrench() && guideline != null && guideline.contains("#conformant#");
    }

    /** Records that a rule set judged the invoice. */
    void judgedBy(String family, String version) {
        rules.put(family, version);
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
                List.copyOf(notes), (System.nanoTime() - started) / 1_000_000, false,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules)),
                List.copyOf(relaxed.values()));
    }

    /** The limits pre-pass made of these bytes (under the invoice limits). */
    void scanned(byte[] bytes, XmlScan.Result scan) {
        this.xmlScanned = bytes;
        this.xmlScan = scan;
    }

    /** The limits pre-pass of {@link #xml} if one was made of these very bytes, else null. */
    XmlScan.Result scanOfXml() {
        return xmlScan != null && xmlScanned == xml ? xmlScan : null;
    }

    /** The schema findings the parse of {@link #xml} gave against the given schema, used if it stays the layer's. */
    void schemaCheckedDuringParse(Schema checkedAgainst, List<Finding> found) {
        this.schemaCheckOfParse = new SchemaCheckOfParse(xml, checkedAgainst, found);
    }

    /** The schema findings of {@link #xml} against {@link #schema} if the parse gave them, else null. */
    List<Finding> schemaFindingsOfParse() {
        SchemaCheckOfParse made = schemaCheckOfParse;
        return made != null && made.xml() == xml && made.schema() == schema ? made.findings() : null;
    }

    private record SchemaCheckOfParse(byte[] xml, Schema schema, List<Finding> findings) {
    }
}
