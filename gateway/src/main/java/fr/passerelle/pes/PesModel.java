package fr.passerelle.pes;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;

import org.glassfish.jaxb.runtime.marshaller.NamespacePrefixMapper;
import org.xml.sax.InputSource;

import fr.gouv.minefi.cp.helios.pes_v2.rev0.aller.PESAller;
import fr.gouv.minefi.cp.helios.pes_v2.rev0.retour.PESRetour;
import fr.gouv.minefi.cp.helios.pes_v2.rev0.retour.v2.TPESACQUIT;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.MarshalException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventLocator;

/**
 * The PES V2 object model (classes generated from the official schemas) behind one JAXBContext.
 * Reading ALWAYS validates against the schema, with hardened input: without a schema JAXB silently
 * drops what it does not understand (CarteAchatNiveau1 as text becomes "absent"). Writing validates
 * too, and produces ISO-8859-1 with the XML declaration, as Hélios and S²LOW want.
 * <p>Never re-marshal a signed flow to send it: the signature would no longer verify. The model is for
 * reading, and for flows built here and signed afterwards.
 */
public final class PesModel {

    private static final JAXBContext CONTEXT = newContext();

    /** The prefixes real flows use: n: on the root, ds: and xad: for signatures. */
    private static final Map<String, String> PREFIXES = Map.of(
            PesXml.ALLER_NS, "n",
            "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour", "n",
            "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour/v2", "n",
            PesXml.DSIG_NS, "ds",
            "http://uri.etsi.org/01903/v1.1.1#", "xad",
            "http://www.w3.org/2001/04/xmlenc#", "xenc");

    private PesModel() {
    }

    public static JAXBContext context() {
        return CONTEXT;
    }

    public static PESAller unmarshalAller(Path file) throws IOException, PesInvalidException {
        try (InputStream in = Files.newInputStream(file)) {
            return unmarshal(in, PESAller.class, PesSchemas.aller());
        }
    }

    public static PESAller unmarshalAller(InputStream in) throws IOException, PesInvalidException {
        return unmarshal(in, PESAller.class, PesSchemas.aller());
    }

    public static TPESACQUIT unmarshalAcquit(Path file) throws IOException, PesInvalidException {
        try (InputStream in = Files.newInputStream(file)) {
            return unmarshal(in, TPESACQUIT.class, PesSchemas.acquit());
        }
    }

    public static TPESACQUIT unmarshalAcquit(InputStream in) throws IOException, PesInvalidException {
        return unmarshal(in, TPESACQUIT.class, PesSchemas.acquit());
    }

    public static PESRetour unmarshalRetour(Path file) throws IOException, PesInvalidException {
        try (InputStream in = Files.newInputStream(file)) {
            return unmarshal(in, PESRetour.class, PesSchemas.retour());
        }
    }

    public static PESRetour unmarshalRetour(InputStream in) throws IOException, PesInvalidException {
        return unmarshal(in, PESRetour.class, PesSchemas.retour());
    }

    /**
     * Reads {@code type} from the stream, validating against {@code schema} (never null): every
     * schema error is collected, naming its element and line, and the whole read is refused.
     */
    public static <T> T unmarshal(InputStream in, Class<T> type, Schema schema) throws IOException, PesInvalidException {
        if (schema == null) {
            throw new IllegalArgumentException("a PES is never read without its schema");
        }
        PesXml.ElementTrail trail = new PesXml.ElementTrail(PesXml.saxReader());
        List<XsdError> errors = new ArrayList<>();
        try {
            Unmarshaller u = CONTEXT.createUnmarshaller();
            u.setSchema(schema);
            u.setEventHandler(event -> {
                if (event.getSeverity() == ValidationEvent.WARNING) {
                    return true; // a schema warning does not make a flow invalid
                }
                if (errors.size() < PesSchemas.MAX_ERRORS) {
                    errors.add(error(event, trail.current(), trail.path()));
                }
                return event.getSeverity() != ValidationEvent.FATAL_ERROR; // go on to collect the others
            });
            SAXSource source = new SAXSource(trail, new InputSource(new BufferedInputStream(in, 1 << 16)));
            JAXBElement<T> read = u.unmarshal(source, type);
            if (!errors.isEmpty()) {
                throw new PesInvalidException(errors);
            }
            return read.getValue();
        } catch (UnmarshalException e) {
            if (errors.isEmpty()) {
                errors.add(XsdError.of(rootMessage(e), 0, 0, trail.current(), trail.path(), true));
            }
            throw new PesInvalidException(errors);
        } catch (JAXBException e) {
            throw new IllegalStateException("PES model cannot read: " + e, e);
        }
    }

    /** Writes a PES_Aller, PES_Retour or PES_ACQUIT (TPESACQUIT or its JAXBElement), ISO-8859-1, validated. */
    public static void marshal(Object pes, OutputStream out) throws IOException, PesInvalidException {
        Object root = pes instanceof TPESACQUIT acquit
                ? new fr.gouv.minefi.cp.helios.pes_v2.rev0.retour.v2.ObjectFactory().createPESACQUIT(acquit) : pes;
        Schema schema = schemaFor(root);
        List<XsdError> errors = new ArrayList<>();
        try {
            Marshaller m = CONTEXT.createMarshaller();
            m.setSchema(schema);
            m.setEventHandler(event -> {
                if (event.getSeverity() == ValidationEvent.WARNING) {
                    return true;
                }
                if (errors.size() < PesSchemas.MAX_ERRORS) {
                    errors.add(error(event, null, null));
                }
                return true;
            });
            m.setProperty(Marshaller.JAXB_ENCODING, "ISO-8859-1");
            // the RI writes standalone="yes" in its own declaration: write the plain one real flows carry
            m.setProperty(Marshaller.JAXB_FRAGMENT, Boolean.TRUE);
            m.setProperty("org.glassfish.jaxb.namespacePrefixMapper", new Prefixes());
            Writer writer = new OutputStreamWriter(out, StandardCharsets.ISO_8859_1);
            writer.write("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n");
            writer.flush();
            m.marshal(root, out);
            out.flush();
        } catch (MarshalException e) {
            if (errors.isEmpty()) {
                errors.add(XsdError.of(rootMessage(e), 0, 0, null, null, false));
            }
        } catch (JAXBException e) {
            throw new IllegalStateException("PES model cannot write: " + e, e);
        }
        if (!errors.isEmpty()) {
            throw new PesInvalidException(errors);
        }
    }

    private static Schema schemaFor(Object root) {
        Object value = root instanceof JAXBElement<?> e ? e.getValue() : root;
        if (value instanceof PESAller) {
            return PesSchemas.aller();
        }
        if (value instanceof PESRetour) {
            return PesSchemas.retour();
        }
        if (value instanceof TPESACQUIT) {
            return PesSchemas.acquit();
        }
        throw new IllegalArgumentException("not a PES root: " + value.getClass().getName());
    }

    private static XsdError error(ValidationEvent event, String element, String path) {
        ValidationEventLocator at = event.getLocator();
        return XsdError.of(event.getMessage(), at == null ? 0 : at.getLineNumber(), at == null ? 0 : at.getColumnNumber(),
                element, path, event.getSeverity() == ValidationEvent.FATAL_ERROR);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static JAXBContext newContext() {
        try {
            // the three roots and every namespace they reach (dépense, recette, marché, facture, signatures)
            return JAXBContext.newInstance(
                    fr.gouv.minefi.cp.helios.pes_v2.rev0.aller.ObjectFactory.class,
                    fr.gouv.minefi.cp.helios.pes_v2.rev0.retour.ObjectFactory.class,
                    fr.gouv.minefi.cp.helios.pes_v2.rev0.retour.v2.ObjectFactory.class,
                    fr.gouv.minefi.cp.helios.pes_v2.commun.ObjectFactory.class,
                    fr.gouv.minefi.cp.helios.pes_v2.depense.r0.aller.ObjectFactory.class,
                    fr.gouv.minefi.cp.helios.pes_v2.recette.r0.aller.ObjectFactory.class,
                    fr.gouv.minefi.cp.helios.pes_v2.marche.r0.aller.ObjectFactory.class,
                    fr.gouv.minefi.cp.helios.pes_v2.facture.r0.aller.ObjectFactory.class,
                    org.w3._2000._09.xmldsig_.ObjectFactory.class,
                    org.etsi.uri._01903.v1_1.ObjectFactory.class,
                    org.w3._2001._04.xmlenc_.ObjectFactory.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("PES model does not load: " + e, e);
        }
    }

    private static final class Prefixes extends NamespacePrefixMapper {
        @Override
        public String getPreferredPrefix(String namespaceUri, String suggestion, boolean requirePrefix) {
            return PREFIXES.getOrDefault(namespaceUri, suggestion);
        }
    }
}
