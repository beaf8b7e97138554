package fr.passerelle.bench;

import java.nio.file.Path;
import java.util.Locale;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;

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

    /**
     * The flavour our validator checks a file against: PDF/A-3 (a Factur-X must be one) at the
     * conformance level the file declares, B when it declares none. Read once per file, before
     * any timing, as our validator reads it from the XMP before its check.
     */
    static PDFAFlavour flavourOf(Path file) throws Exception {
        try (PDFAParser parser = Foundries.defaultInstance().createParser(file.toFile())) {
            String level = parser.getFlavour().getLevel().getCode().toLowerCase(Locale.ROOT);
            return PDFAFlavour.fromString("3" + (level.matches("[abu]") ? level : "b"));
        }
    }

    /** PDF/A conformance of the file to the given flavour. */
    static boolean compliant(Path file, PDFAFlavour flavour) throws Exception {
        try (PDFAParser parser = Foundries.defaultInstance().createParser(file.toFile(), flavour)) {
            PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
            return validator.validate(parser).isCompliant();
        }
    }
}
