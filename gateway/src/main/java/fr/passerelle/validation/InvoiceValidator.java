package fr.passerelle.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;

import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import org.xml.sax.InputSource;

import fr.passerelle.intake.Format;
import fr.passerelle.intake.FormatSniffer;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.InvoicePolicy;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.xml.SafeXml;
import fr.passerelle.xml.XmlLimits;
import fr.passerelle.xml.XmlScan;

/**
 * The validation pyramid: container → XML → schema → EN 16931 → profile / national rules →
 * routing. It stops at the first layer with an error (a broken PDF is not schema-checked) unless
 * asked for all layers, and reports every finding of the layers that ran. Thread-safe: one
 * instance serves the whole gateway; its artefacts are compiled once.
 */
public final class InvoiceValidator {

    /** What the caller knows: all layers or not; the communes (null: routing skipped); the expected commune. */
    public record Options(boolean allLayers, TenantRegistry tenants, String communeId) {
        public static Options standalone(boolean allLayers) {
            return new Options(allLayers, null, null);
        }
    }

    private final ValidationArtefacts artefacts;
    private final SummaryReader summaries;
    private final RuleMessages messages = new RuleMessages();
    private final FormatSniffer sniffer;
    private final long maxXmlBytes;
    private final boolean checkPdfA;
    private final XmlLimits xmlLimits;
    private final PdfLimits pdfLimits;
    private final LargeInvoiceGate largeInvoices;

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
        this.largeInvoices = largeInvoices;
        this.artefacts = artefacts;
        this.summaries = new SummaryReader(artefacts.saxon());
        this.maxXmlBytes = maxXmlBytes;
        this.checkPdfA = checkPdfA;
        this.xmlLimits = xmlLimits;
        this.pdfLimits = pdfLimits;
        this.sniffer = new FormatSniffer(xmlLimits, XmlLimits.PES, pdfLimits.maxAttachmentSize());
    }

    public ValidationReport validate(Path file, String displayName, Options options) {
        Run run = new Run(displayName, options);
        try {
            run.execute(file);
            return run.report(ValidationReport.COMPLETED, null);
        } catch (IOException | SaxonApiException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // the limits are checked before any tree is built: an Error here is a bound that failed to
            // hold, and still never escapes (the thread's stack is unwound by now, its heap collectable)
            // could not finish: that is never a verdict. The stored path of the file is not for the reader.
            String why = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage())
                    .replace(file.toAbsolutePath().toString(), displayName).replace(file.toString(), displayName);
            ValidationReport failed = run.report(ValidationReport.FAILED, why);
            return e instanceof IOException || e instanceof OutOfMemoryError ? failed.retryable() : failed;
        }
    }

    /** The state of one validation: what ran, what was found. */
    private final class Run {
        final String file;
        final Options options;
        final long started = System.nanoTime();
        final List<Finding> findings = new ArrayList<>();
        final List<String> layersRun = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        String format;
        String syntax;
        FacturXProfile profile;
        String guideline;
        InvoiceSummary summary;

        Run(String file, Options options) {
            this.file = file;
            this.options = options;
        }

        void execute(Path path) throws IOException, SaxonApiException {
            // a PDF goes straight to the container layer, which opens it once for what intake's
            // sniffer would tell (attachment, ZUGFeRD generation); other files are sniffed
            FormatSniffer.Sniff sniff = isPdf(path) ? new FormatSniffer.Sniff(Format.PDF, List.of(), null, null)
                    : sniffer.sniff(path);
            format = sniff.format().name();
            InvoicePolicy policy = expectedCommune().map(Commune::invoicePolicy).orElse(InvoicePolicy.DEFAULT);
            byte[] xml;
            boolean facturX = false;
            String xmpLevel = null;
            switch (sniff.format()) {
                case FACTURX_PDF, ZUGFERD1_PDF, PDF -> {
                    layersRun.add(Layer.CONTAINER.id());
                    FacturXContainer.Result container = FacturXContainer.open(path, maxXmlBytes, checkPdfA, pdfLimits,
                            xmlLimits);
                    findings.addAll(container.findings());
                    if (container.attachmentName() != null) {
                        format = Format.FACTURX_PDF.name();
                    }
                    if (container.unstructured()) {
                        format = Format.PDF.name();
                        findings.add(new Finding(Layer.CONTAINER, "PDF-UNSTRUCTURED",
                                policy.acceptPlainPdf() ? Severity.WARNING : Severity.ERROR, null,
                                "Ce PDF ne contient pas de facture structurée (Factur-X) : "
                                        + (policy.acceptPlainPdf() ? "la commune l'accepte, mais il devra être saisi à la main."
                                        : "la commune n'accepte que des factures électroniques structurées "
                                        + "(Factur-X, UBL ou CII)."), "no factur-x.xml attachment"));
                        return;
                    }
                    if (container.zugferd1()) {
                        format = Format.ZUGFERD1_PDF.name();
                        findings.add(new Finding(Layer.CONTAINER, "FX-ZUGFERD1", Severity.ERROR, container.attachmentName(),
                                "Cette facture est au format ZUGFeRD 1.0, qui n'est plus accepté : demandez au "
                                        + "fournisseur une facture Factur-X (ZUGFeRD 2.x).", "ZUGFeRD 1.0"));
                        return;
                    }
                    if (container.xml() == null || (container.fatal() && !options.allLayers())) {
                        return;
                    }
                    xml = container.xml();
                    facturX = true;
                    xmpLevel = container.xmpConformanceLevel();
                }
                case UBL_INVOICE, UBL_CREDITNOTE, CII -> {
                    if (Files.size(path) > maxXmlBytes) {
                        layersRun.add(Layer.XML.id());
                        findings.add(new Finding(Layer.XML, "XML-SIZE", Severity.ERROR, null, "La facture XML dépasse la "
                                + "taille maximale validable (" + (maxXmlBytes >> 20) + " Mo).", "size " + Files.size(path)));
                        return;
                    }
                    xml = Files.readAllBytes(path);
                }
                default -> {
                    Layer layer = sniff.problem() != null && sniff.problem().layer().equals("xml") ? Layer.XML : Layer.CONTAINER;
                    layersRun.add(layer.id());
                    String rule = sniff.problem() != null ? sniff.problem().rule() : "INTAKE-FORMAT";
                    String message = sniff.problem() != null ? sniff.problem().message()
                            : "Ce document n'est pas une facture (" + sniff.format().label() + ").";
                    findings.add(new Finding(layer, rule, Severity.ERROR,
                            sniff.problem() == null ? null : sniff.problem().location(), message, message));
                    return;
                }
            }
            try (LargeInvoiceGate.Pass pass = largeInvoices.enter(xml.length)) {
                xmlLayers(xml, facturX, xmpLevel, policy);
            }
        }

        private void xmlLayers(byte[] xml, boolean facturX, String xmpLevel, InvoicePolicy policy)
                throws IOException, SaxonApiException {
            layersRun.add(Layer.XML.id());
            // the streaming pre-pass with the limits: nothing below (Saxon, Xerces) sees a file beyond them
            XmlScan.Result scan = XmlScan.scan(new ByteArrayInputStream(xml), xmlLimits);
            if (!scan.wellFormed()) {
                findings.add(new Finding(Layer.XML, scan.problem().rule(), Severity.ERROR, scan.problem().location(),
                        scan.problem().message(), scan.problem().message()));
                return;
            }
            Schema schema;
            SummaryReader.Syntax summarySyntax;
            switch (scan.rootName()) {
                case "Invoice" -> {
                    syntax = "UBL 2.1 Invoice";
                    schema = artefacts.ublInvoice();
                    summarySyntax = SummaryReader.Syntax.UBL;
                }
                case "CreditNote" -> {
                    syntax = "UBL 2.1 CreditNote";
                    schema = artefacts.ublCreditNote();
                    summarySyntax = SummaryReader.Syntax.UBL;
                }
                case "CrossIndustryInvoice" -> {
                    syntax = "UN/CEFACT CII D16B";
                    schema = artefacts.cii();
                    summarySyntax = SummaryReader.Syntax.CII;
                }
                default -> {
                    findings.add(new Finding(Layer.XML, "XML-ROOT", Severity.ERROR, "/" + scan.rootName(),
                            "Le XML joint n'est pas une facture CII (élément racine <" + scan.rootName() + ">).",
                            "root element " + scan.rootName()));
                    return;
                }
            }
            XdmNode invoice = parse(xml);
            summary = summaries.read(summarySyntax, invoice);
            if (summarySyntax == SummaryReader.Syntax.CII) {
                guideline = summaries.guideline(invoice);
                profile = FacturXProfile.fromGuideline(guideline);
            }
            if (facturX) {
                if (summarySyntax != SummaryReader.Syntax.CII) {
                    findings.add(new Finding(Layer.CONTAINER, "FX-SYNTAX", Severity.ERROR, null,
                            "Le XML joint au PDF Factur-X doit être au format CII.", syntax));
                    return;
                }
                FacturXProfile declared = FacturXProfile.fromConformanceLevel(xmpLevel);
                if (declared != null && profile != null && declared != profile) {
                    findings.add(new Finding(Layer.CONTAINER, "FX-XMP-PROFILE", Severity.ERROR, "métadonnées XMP",
                            "Le profil annoncé dans les métadonnées du PDF (" + declared.label() + ") n'est pas celui de "
                                    + "la facture jointe (" + profile.label() + ").",
                            "fx:ConformanceLevel=" + xmpLevel + ", GuidelineSpecifiedDocumentContextParameter=" + guideline));
                }
                if (profile == null) {
                    findings.add(new Finding(Layer.PROFILE, "FX-PROFILE-UNKNOWN", Severity.ERROR,
                            "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext", "Le profil de la facture ("
                            + guideline + ") n'est pas un profil Factur-X connu.", String.valueOf(guideline)));
                    return;
                }
                schema = artefacts.profileSchema(profile);
                if (stop()) {
                    return;
                }
            }

            layersRun.add(Layer.SCHEMA.id());
            findings.addAll(SchemaLayer.run(schema, xml));
            if (stop()) {
                return;
            }

            if (profile != null && !profile.isFullInvoice()) {
                findings.add(new Finding(Layer.PROFILE, "FX-NOT-EN16931",
                        policy.rejectMinimumProfiles() ? Severity.ERROR : Severity.WARNING,
                        "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext",
                        "Le profil " + profile.label() + " ne constitue pas une facture complète au sens de la norme "
                                + "EN 16931 (pas de lignes de facture) : "
                                + (policy.rejectMinimumProfiles() ? "la commune demande une facture au profil BASIC, "
                                + "EN16931 ou EXTENDED." : "elle est acceptée avec cet avertissement."),
                        "MINIMUM and BASIC WL are not compliant with EN 16931"));
            }
            if (facturX) {
                // the profile's own Schematron carries the EN 16931 rules as they apply to that profile
                // (an EXTENDED invoice may go beyond the core rules): its BR-* findings belong to the
                // en16931 layer, the Factur-X specific ones to the profile layer
                layersRun.add(Layer.EN16931.id());
                layersRun.add(Layer.PROFILE.id());
                boolean extended = profile == FacturXProfile.EXTENDED;
                int downgraded = 0;
                for (Finding f : SchematronLayer.run(artefacts.profileRules(profile), invoice, Layer.PROFILE, messages,
                        false, artefacts.codeListResolver())) {
                    if (f.rule().startsWith("BR-")) {
                        findings.add(new Finding(Layer.EN16931, f.rule(), f.severity(), f.location(), f.message(), f.text()));
                    } else if (extended && f.severity() == Severity.ERROR && f.text().matches("Value of '.+' is not allowed\\.")) {
                        // EXTENDED goes beyond EN 16931: the code lists of its extension fields moved
                        // since ZUGFeRD 2.0 (UN/ECE Rec 21 package codes now need their X prefix), so
                        // membership there is a warning; the EN 16931 rules (BR-*, BR-CL-*) still reject
                        findings.add(new Finding(f.layer(), f.rule(), Severity.WARNING, f.location(), f.message(), f.text()));
                        downgraded++;
                    } else {
                        findings.add(f);
                    }
                }
                if (downgraded > 0) {
                    notes.add(downgraded + " EXTENDED extension code-list check(s) reported as warnings (EN 16931 rules stay errors)");
                }
                if (!profile.isFullInvoice()) {
                    notes.add("EN 16931 core rules: profile " + profile.label() + " is checked by its own Factur-X rules");
                }
            } else {
                layersRun.add(Layer.EN16931.id());
                findings.addAll(SchematronLayer.run(summarySyntax == SummaryReader.Syntax.UBL ? artefacts.cenUbl()
                        : artefacts.cenCii(), invoice, Layer.EN16931, messages, false, artefacts.codeListResolver()));
            }
            if (stop()) {
                return;
            }
            if (guideline != null && guideline.toLowerCase().contains("ctc-fr")) {
                layersRun.add(Layer.PROFILE.id());
                findings.addAll(SchematronLayer.run(artefacts.brFr(), invoice, Layer.PROFILE, messages, false,
                        artefacts.codeListResolver()));
                if (stop()) {
                    return;
                }
            } else if (summarySyntax == SummaryReader.Syntax.CII) {
                notes.add("French BR-FR rules apply to EXTENDED-CTC-FR invoices only: not applied");
            }
            routing(policy);
        }

        private void routing(InvoicePolicy ignoredDefault) {
            if (options.tenants() == null) {
                notes.add("routing layer skipped: no commune configured");
                return;
            }
            layersRun.add(Layer.ROUTING.id());
            Optional<Commune> buyer = options.tenants().communeForBuyer(summary.buyerIdentifiers());
            if (buyer.isEmpty()) {
                findings.add(new Finding(Layer.ROUTING, "ROUTING-BUYER", Severity.ERROR, "BT-46/BT-47",
                        "L'acheteur de la facture (" + (summary.buyerIdentifiers().isEmpty() ? "aucun identifiant"
                                : String.join(", ", summary.buyerIdentifiers())) + ") n'est aucune des communes de la "
                                + "plateforme : indiquez le SIRET ou le SIREN de la commune destinataire.",
                        "buyer identifiers " + summary.buyerIdentifiers()));
                return;
            }
            Commune commune = buyer.get();
            if (options.communeId() != null && !options.communeId().equals(commune.id())) {
                findings.add(new Finding(Layer.ROUTING, "ROUTING-OTHER-COMMUNE", Severity.ERROR, "BT-46/BT-47",
                        "Cette facture est adressée à " + commune.name() + ", et non à la commune à laquelle elle a "
                                + "été envoyée : envoyez-la à " + commune.name() + ".",
                        "buyer " + commune.id() + " != " + options.communeId()));
            }
            InvoicePolicy policy = commune.invoicePolicy();
            if (policy.requireServiceCode() && summary.serviceCode() == null) {
                findings.add(new Finding(Layer.ROUTING, "ROUTING-SERVICE-CODE", Severity.ERROR, "BT-10",
                        commune.name() + " exige le code service (référence acheteur, BT-10) sur ses factures : "
                                + "demandez-le au service qui a passé la commande.", "BT-10 BuyerReference missing"));
            }
            if (policy.requireCommitmentNumber() && summary.commitmentNumber() == null) {
                findings.add(new Finding(Layer.ROUTING, "ROUTING-COMMITMENT", Severity.ERROR, "BT-13",
                        commune.name() + " exige le numéro d'engagement (bon de commande, BT-13) sur ses factures.",
                        "BT-13 purchase order reference missing"));
            }
        }

        private Optional<Commune> expectedCommune() {
            return options.tenants() == null || options.communeId() == null ? Optional.empty()
                    : options.tenants().commune(options.communeId());
        }

        private boolean stop() {
            return !options.allLayers() && findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        }

        ValidationReport report(String processing, String error) {
            String verdict = null;
            if (ValidationReport.COMPLETED.equals(processing)) {
                boolean errors = findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
                boolean warnings = findings.stream().anyMatch(f -> f.severity() == Severity.WARNING);
                verdict = errors ? ValidationReport.REJECTED
                        : warnings ? ValidationReport.ACCEPTED_WITH_WARNINGS : ValidationReport.ACCEPTED;
            }
            return new ValidationReport(file, processing, error, verdict, format, syntax,
                    profile == null ? null : profile.label(), summary, List.copyOf(findings), List.copyOf(layersRun),
                    List.copyOf(notes), (System.nanoTime() - started) / 1_000_000, false);
        }
    }

    private static boolean isPdf(Path path) throws IOException {
        byte[] head = new byte[1024];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return new String(head, 0, n, StandardCharsets.ISO_8859_1).contains("%PDF-");
    }

    /** A Saxon tree built by the hardened SAX reader (the XML layer already refused DOCTYPEs too). */
    private XdmNode parse(byte[] xml) throws SaxonApiException {
        return artefacts.saxon().newDocumentBuilder().build(new SAXSource(SafeXml.saxReader(),
                new InputSource(new ByteArrayInputStream(xml))));
    }
}
