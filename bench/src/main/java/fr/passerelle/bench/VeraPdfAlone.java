package fr.passerelle.bench;

import java.nio.file.Path;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;

/**
 * veraPDF's PDF/A check alone, as both our validator and Mustang's run it on every Factur-X PDF
 * (the same engine, in the same JVM): the part of the work neither side can make faster than
 * the other. Its rate is the ceiling of any ratio against Mustang: a validator doing nothing but
 * this check would reach it.
 */
final class VeraPdfAlone {

    static {
        VeraGreenfieldFoundryProvider.initialise();
    }

    private VeraPdfAlone() {
    }

    /** PDF/A conformance to the flavour the file declares (PDF/A-3B for a Factur-X). */
    static boolean compliant(Path file) throws Exception {
        try (PDFAParser parser = Foundries.defaultInstance().createParser(file.toFile())) {
            PDFAValidator validator = Foundries.defaultInstance().createValidator(parser.getFlavour(), false);
            return validator.validate(parser).isCompliant();
        }
    }
}
