package fr.passerelle.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.PDNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.verapdf.core.EncryptedPdfException;
import org.verapdf.core.ModelParsingException;
import org.verapdf.core.ValidationException;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

import fr.passerelle.pdf.PdfStreams;
import fr.passerelle.xml.XmlLimits;
import fr.passerelle.xml.XmlScan;

/**
 * The container layer of a Factur-X / ZUGFeRD PDF: readable and not encrypted, the structured
 * invoice attached under its standard name and related to the document (AFRelationship), the
 * XMP metadata consistent with it (profile, file name), and PDF/A-3 conformance checked by
 * veraPDF, the same engine Mustang uses.
 */
final class FacturXContainer {

    static final List<String> ATTACHMENT_NAMES = List.of("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml");
    private static final List<String> RELATIONSHIPS = List.of("Data", "Alternative", "Source");
    private static final int MAX_NAME_TREE_NODES = 10_000;
    /** Decoded streams PDFBox caches stay in memory up to this, then spill to temporary files (bounded by the limits). */
    private static final long STREAM_CACHE_MEMORY = 8L << 20;

    static {
        VeraGreenfieldFoundryProvider.initialise();
    }

    /** What the container gave: findings, and the attached XML when there is one. */
    record Result(List<Finding> findings, byte[] xml, String attachmentName, String xmpConformanceLevel,
                  boolean unstructured, boolean zugferd1, boolean fatal, XmlScan.Result scanOfXml) {

        Result(List<Finding> findings, byte[] xml, String attachmentName, String xmpConformanceLevel,
               boolean unstructured, boolean zugferd1, boolean fatal) {
            this(findings, xml, attachmentName, xmpConformanceLevel, unstructured, zugferd1, fatal, null);
        }
    }

    private FacturXContainer() {
    }

    static Result open(Path file, long maxXmlBytes, boolean checkPdfA) {
        return open(file, maxXmlBytes, checkPdfA, PdfLimits.DEFAULT, XmlLimits.INVOICE);
    }

    static Result open(Path file, long maxXmlBytes, boolean checkPdfA, PdfLimits limits, XmlLimits xmlLimits) {
        List<Finding> findings = new ArrayList<>();
        byte[] xml = null;
        String attachment = null;
        Map<String, String> xmp = Map.of();
        // streams PDFBox decodes stay in memory up to a few MB, then spill to a temporary file
        MemoryUsageSetting cache = MemoryUsageSetting.setupMixed(STREAM_CACHE_MEMORY, limits.maxDecompressedSize());
        try (PDDocument pdf = Loader.loadPDF(file.toFile(), null, null, null, cache.streamCache)) {
            if (pdf.isEncrypted()) {
                findings.add(error("CONTAINER-ENCRYPTED", null, "Le PDF est chiffré (protégé) : une facture Factur-X "
                        + "doit être un PDF/A-3 sans chiffrement. Envoyez la facture sans protection.",
                        "PDF/A-3 forbids encryption (ISO 19005-3, 6.1.3)"));
                return new Result(findings, null, null, null, false, false, true);
            }
            // bounded work first: nothing below walks the document or decodes a stream before this
            Finding bound = PdfBounds.check(pdf, limits);
            if (bound != null) {
                findings.add(bound);
                return new Result(findings, null, null, null, false, false, true);
            }
            xmp = XmpValues.read(pdf, xmlLimits, limits.maxStreamSize());
            if (xmp.containsKey(XmpValues.LIMIT)) {
                findings.add(new Finding(Layer.CONTAINER, xmp.get(XmpValues.LIMIT), Severity.ERROR, "métadonnées XMP",
                        xmp.get(XmpValues.LIMIT_MESSAGE), "XMP metadata beyond the XML limits"));
                return new Result(findings, null, null, null, false, false, true);
            }
            for (PDComplexFileSpecification spec : attachments(pdf)) {
                String name = spec.getFileUnicode() != null ? spec.getFileUnicode() : spec.getFilename();
                if (name == null || !ATTACHMENT_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                PDEmbeddedFile embedded = spec.getEmbeddedFile();
                if (embedded == null) {
                    continue;
                }
                attachment = name;
                String relationship = spec.getCOSObject().getNameAsString(COSName.getPDFName("AFRelationship"));
                if (relationship == null || !RELATIONSHIPS.contains(relationship)) {
                    findings.add(new Finding(Layer.CONTAINER, "FX-AFRELATIONSHIP", Severity.WARNING,
                            "fichier joint " + name, "La pièce jointe " + name + " n'indique pas sa relation au "
                            + "document (AFRelationship Data, Alternative ou Source) comme Factur-X le demande.",
                            "AFRelationship=" + relationship));
                }
                Finding tooBig = PdfBounds.attachment(embedded.getCOSObject(), name, limits);
                if (tooBig != null) {
                    findings.add(tooBig);
                    return new Result(findings, null, name, null, false, false, true);
                }
                // decoded with a cap: a Flate bomb never inflates beyond the limit + 1 byte
                long cap = Math.min(maxXmlBytes, limits.maxAttachmentSize());
                boolean tooLong = false;
                try {
                    xml = PdfStreams.decoded(embedded.getCOSObject(), cap);
                } catch (PdfStreams.OverCapException over) {
                    xml = new byte[0];
                    tooLong = true;
                }
                if (tooLong && cap == maxXmlBytes) {
                    findings.add(error("XML-SIZE", "fichier joint " + name, "Le XML joint dépasse la taille "
                            + "maximale validable (" + (maxXmlBytes >> 20) + " Mo).", "attachment too large"));
                    return new Result(findings, null, name, null, false, false, true);
                }
                if (tooLong) {
                    findings.add(PdfBounds.limit("LIMIT-PDF-ATTACHMENT", "fichier joint " + name, "La pièce jointe "
                            + name + " dépasse " + (cap >> 20) + " Mo une fois décompressée", "attachment > " + cap));
                    return new Result(findings, null, name, null, false, false, true);
                }
                break;
            }
        } catch (InvalidPasswordException e) {
            findings.add(error("CONTAINER-ENCRYPTED", null, "Le PDF est protégé par un mot de passe : il ne peut pas "
                    + "être lu. Envoyez la facture sans protection.", e.getMessage()));
            return new Result(findings, null, null, null, false, false, true);
        } catch (IOException | RuntimeException e) {
            findings.add(error("CONTAINER-PDF", null, "Le fichier PDF est endommagé ou illisible : il ne peut pas "
                    + "être traité. Renvoyez un PDF complet.", String.valueOf(e.getMessage())));
            return new Result(findings, null, null, null, false, false, true);
        } catch (StackOverflowError e) {
            findings.add(error("CONTAINER-PDF", null, "La structure du fichier PDF est imbriquée trop profondément "
                    + "pour être lue : il ne peut pas être traité. Renvoyez un PDF produit par un logiciel de facturation.",
                    "StackOverflowError"));
            return new Result(findings, null, null, null, false, false, true);
        }
        String level = xmp.get("ConformanceLevel");
        if (attachment == null) {
            return new Result(findings, null, null, level, true, false, false);
        }
        // ZUGFeRD 1.0 has its own root element, CrossIndustryDocument; the limits pre-pass that tells
        // is the XML layer's too
        XmlScan.Result scan = attachment.equals("ZUGFeRD-invoice.xml") && xmp.containsKey("zugferd1") ? null
                : XmlScan.scan(new ByteArrayInputStream(xml), xmlLimits);
        if (scan == null || "CrossIndustryDocument".equals(scan.rootName())) {
            return new Result(findings, xml, attachment, level, false, true, false);
        }
        checkXmp(xmp, attachment, findings);
        if (checkPdfA) {
            findings.addAll(pdfA(file, xmp));
        }
        boolean fatal = findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        return new Result(findings, xml, attachment, level, false, false, fatal, scan);
    }

    private static void checkXmp(Map<String, String> xmp, String attachment, List<Finding> findings) {
        if (!xmp.containsKey("ConformanceLevel")) {
            findings.add(error("FX-XMP-MISSING", "métadonnées XMP", "Les métadonnées XMP du PDF ne déclarent pas la "
                    + "facture Factur-X (schéma d'extension fx, ConformanceLevel et DocumentFileName absents).",
                    "Factur-X XMP extension schema missing"));
            return;
        }
        String declaredName = xmp.get("DocumentFileName");
        if (declaredName != null && !declaredName.equals(attachment)) {
            findings.add(error("FX-XMP-FILENAME", "métadonnées XMP", "Les métadonnées XMP annoncent le fichier joint « "
                    + declaredName + " » mais le PDF contient « " + attachment + " ».",
                    "fx:DocumentFileName=" + declaredName + ", attachment=" + attachment));
        }
        if (FacturXProfile.fromConformanceLevel(xmp.get("ConformanceLevel")) == null) {
            findings.add(error("FX-XMP-PROFILE", "métadonnées XMP", "Le profil déclaré dans les métadonnées XMP (« "
                    + xmp.get("ConformanceLevel") + " ») n'est pas un profil Factur-X.", "fx:ConformanceLevel"));
        }
        String part = xmp.get("part");
        if (part != null && !part.equals("3")) {
            findings.add(error("PDFA-PART", "métadonnées XMP", "Le PDF se déclare PDF/A-" + part + " : une facture "
                    + "Factur-X doit être un PDF/A-3.", "pdfaid:part=" + part));
        }
    }

    private static List<Finding> pdfA(Path file, Map<String, String> xmp) {
        String conformance = xmp.getOrDefault("conformance", "B").toLowerCase(Locale.ROOT);
        PDFAFlavour flavour = PDFAFlavour.fromString("3" + (conformance.matches("[abu]") ? conformance : "b"));
        Map<String, Finding> byRule = new LinkedHashMap<>();
        try (PDFAParser parser = Foundries.defaultInstance().createParser(file.toFile(), flavour)) {
            PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
            ValidationResult result = validator.validate(parser);
            for (TestAssertion a : result.getTestAssertions()) {
                if (a.getStatus() != TestAssertion.Status.FAILED) {
                    continue;
                }
                String rule = "PDF/A-" + flavour.getId().toUpperCase(Locale.ROOT) + " " + a.getRuleId().getClause()
                        + "-" + a.getRuleId().getTestNumber();
                byRule.putIfAbsent(rule, error(rule, a.getLocation() == null ? null : a.getLocation().getContext(),
                        "Le PDF n'est pas conforme à la norme PDF/A-3 (ISO 19005-3, clause " + a.getRuleId().getClause()
                                + ") : le logiciel qui produit les factures doit générer un PDF/A-3 valide.",
                        a.getMessage()));
            }
        } catch (EncryptedPdfException e) {
            byRule.put("CONTAINER-ENCRYPTED", error("CONTAINER-ENCRYPTED", null, "Le PDF est chiffré.", e.getMessage()));
        } catch (ModelParsingException | ValidationException e) {
            byRule.put("PDFA-PARSE", error("PDFA-PARSE", null, "La conformité PDF/A-3 du fichier ne peut pas être "
                    + "vérifiée : sa structure PDF est endommagée.", String.valueOf(e.getMessage())));
        } catch (IOException | RuntimeException e) {
            byRule.put("PDFA-PARSE", error("PDFA-PARSE", null, "La conformité PDF/A-3 du fichier ne peut pas être "
                    + "vérifiée.", String.valueOf(e.getMessage())));
        } catch (StackOverflowError e) {
            // the bounds were checked before: a structure veraPDF still cannot walk is refused, never a crash
            byRule.put("PDFA-PARSE", error("PDFA-PARSE", null, "La conformité PDF/A-3 du fichier ne peut pas être "
                    + "vérifiée : sa structure est imbriquée trop profondément.", "StackOverflowError in veraPDF"));
        }
        return new ArrayList<>(byRule.values());
    }

    private static List<PDComplexFileSpecification> attachments(PDDocument pdf) throws IOException {
        PDDocumentNameDictionary names = pdf.getDocumentCatalog().getNames();
        return embeddedFiles(names == null ? null : names.getEmbeddedFiles());
    }

    /** The name tree's file specifications, walked iteratively: a node met twice (a loop) is not walked again. */
    static List<PDComplexFileSpecification> embeddedFiles(PDEmbeddedFilesNameTreeNode tree) throws IOException {
        List<PDComplexFileSpecification> out = new ArrayList<>();
        Set<COSDictionary> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<PDNameTreeNode<PDComplexFileSpecification>> todo = new ArrayDeque<>();
        if (tree != null) {
            todo.push(tree);
        }
        while (!todo.isEmpty() && visited.size() < MAX_NAME_TREE_NODES) {
            PDNameTreeNode<PDComplexFileSpecification> node = todo.pop();
            if (!visited.add(node.getCOSObject())) {
                continue;
            }
            if (node.getNames() != null) {
                out.addAll(node.getNames().values());
            }
            if (node.getKids() != null) {
                node.getKids().forEach(todo::push);
            }
        }
        return out;
    }

    private static Finding error(String rule, String location, String message, String text) {
        return new Finding(Layer.CONTAINER, rule, Severity.ERROR, location, message, text);
    }
}
