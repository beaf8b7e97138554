package fr.passerelle.validation;

import java.io.IOException;
import java.util.List;

/**
 * The schema layer: the syntax's XSD, or the Factur-X profile's (chosen by the steps before). Its
 * findings come from the invoice's parse when that parse knew the schema already (not a Factur-X).
 */
final class SchemaStep implements ValidationStep {

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        return check.endedOrStopped();
    }

    @Override
    public void check(InvoiceCheck check) throws IOException {
        check.ran(Layer.SCHEMA);
        List<Finding> ofParse = check.schemaFindingsOfParse();
        check.addAll(ofParse != null ? ofParse : SchemaLayer.run(check.schema, check.xml));
    }
}
