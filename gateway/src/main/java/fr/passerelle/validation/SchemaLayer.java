package fr.passerelle.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;

import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import fr.passerelle.xml.SafeSchemas;

/**
 * XSD validation of the invoice's bytes (so that every error keeps its line and column), with
 * every error collected rather than stopping at the first. The rule id is the XSD error key.
 */
final class SchemaLayer {

    /** Findings beyond this number add nothing an accountant can use. */
    static final int MAX_FINDINGS = 200;

    private static final Map<String, String> FRENCH = Map.of(
            "cvc-complex-type.2.4.a", "Un élément n'est pas à sa place ou n'est pas permis à cet endroit de la facture",
            "cvc-complex-type.2.4.b", "Il manque un élément obligatoire dans cette partie de la facture",
            "cvc-complex-type.2.4.d", "Un élément en trop se trouve à la fin de cette partie de la facture",
            "cvc-datatype-valid.1.2.1", "Une valeur n'a pas le format attendu (date, nombre, code…)",
            "cvc-pattern-valid", "Une valeur ne respecte pas le format imposé",
            "cvc-enumeration-valid", "Une valeur n'est pas dans la liste des codes autorisés",
            "cvc-type.3.1.3", "Une valeur n'est pas valide pour cet élément",
            "cvc-elt.1.a", "Le document n'est pas du type attendu (élément racine inconnu du schéma)",
            "cvc-complex-type.3.2.2", "Un attribut n'est pas permis sur cet élément",
            "cvc-complex-type.4", "Il manque un attribut obligatoire");

    private SchemaLayer() {
    }

    static List<Finding> run(Schema schema, byte[] xml) throws IOException {
        Collected collected = new Collected();
        Validator validator = SafeSchemas.validator(schema);
        validator.setErrorHandler(collected.errorHandler());
        try {
            validator.validate(new StreamSource(new ByteArrayInputStream(xml)));
        } catch (SAXException e) {
            collected.stoppedBy(e);
        }
        return collected.findings();
    }

    /** The findings of one validation, whether the validator parsed the bytes or was fed another parse's events. */
    static final class Collected {

        private final List<Finding> findings = new ArrayList<>();

        ErrorHandler errorHandler() {
            return SafeSchemas.errorHandler((e, level) -> {
                // a fatal error is kept too: validation stops right after it
                if (findings.size() < MAX_FINDINGS) {
                    findings.add(finding(e, level == SafeSchemas.Level.WARNING ? Severity.WARNING : Severity.ERROR));
                }
            });
        }

        /** Validation could not go on: a fatal error is already recorded by the error handler. */
        void stoppedBy(SAXException e) {
            if (!(e instanceof SAXParseException)) {
                findings.add(new Finding(Layer.SCHEMA, "XSD", Severity.ERROR, null,
                        "Le document ne peut pas être vérifié par le schéma XSD : " + e.getMessage(), e.getMessage()));
            }
        }

        List<Finding> findings() {
            return List.copyOf(findings);
        }
    }

    private static Finding finding(SAXParseException e, Severity severity) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        int colon = text.indexOf(": ");
        String key = colon > 0 && text.startsWith("cvc-") ? text.substring(0, colon) : "XSD";
        // {"urn:oasis:…:CommonBasicComponents-2":IssueDate} → IssueDate: the reader wants the element's name
        String detail = (colon > 0 ? text.substring(colon + 2) : text).replaceAll("\\{\"[^\"]*\":([^}]+)}", "$1");
        String french = FRENCH.getOrDefault(key, "La facture ne respecte pas le schéma XSD");
        return new Finding(Layer.SCHEMA, key, severity, "ligne " + e.getLineNumber() + ", colonne " + e.getColumnNumber(),
                french + " (ligne " + e.getLineNumber() + ") : " + detail, text);
    }
}
