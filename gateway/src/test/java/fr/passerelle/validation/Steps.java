package fr.passerelle.validation;

import java.nio.file.Path;

import fr.passerelle.Samples;

/** Sets an invoice up the way the validator's own steps leave it just before the step under test. */
final class Steps {

    static final InvoiceValidator VALIDATOR = new InvoiceValidator(ValidationArtefacts.shared(), 20L << 20, true);
    static final InvoiceValidator.Options STANDALONE = InvoiceValidator.Options.standalone(false);

    private Steps() {
    }

    /** The validator's instance of a step (built once with its artefacts). */
    static <T extends ValidationStep> T step(Class<T> type) {
        return VALIDATOR.steps().stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    /** A sample of samples/invoices checked by the steps that run before {@code next}. */
    static InvoiceCheck before(Class<? extends ValidationStep> next, String sample) throws Exception {
        return before(next, Samples.sample("invoices/" + sample), STANDALONE);
    }

    static InvoiceCheck before(Class<? extends ValidationStep> next, Path file, InvoiceValidator.Options options)
            throws Exception {
        InvoiceCheck check = new InvoiceCheck(file, file.getFileName().toString(), options);
        for (ValidationStep step : VALIDATOR.steps()) {
            if (next.isInstance(step)) {
                return check;
            }
            if (!step.isSkipped(check)) {
                step.check(check);
            }
        }
        throw new IllegalArgumentException(next + " is not a step of the validator");
    }

    static final String UBL = "ubl/ubl-tc434-example1.xml";
    static final String CII = "cii/CII_example1.xml";
    static final String BASIC_PDF = "facturx/valid/zugferd_2p1_BASIC_Einfach.pdf";
    static final String MINIMUM_PDF = "facturx/valid/Facture_FR_MINIMUM.pdf";
}
