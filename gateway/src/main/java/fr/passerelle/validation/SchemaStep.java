package fr.passerelle.validation;

import java.io.IOException;

/** The schema layer: the syntax's XSD, or the Factur-X profile's (chosen by the steps before). */
final class SchemaStep implements ValidationStep {

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        return check.endedOrStopped();
    }

    @Override
    public void check(InvoiceCheck check) throws IOException {
        check.ran(Layer.SCHEMA);
        check.addAll(SchemaLayer.run(check.schema, check.xml));
    }
}
