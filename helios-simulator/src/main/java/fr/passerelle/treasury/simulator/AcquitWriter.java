package fr.passerelle.treasury.simulator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import fr.passerelle.pes.PesSchemas;
import fr.passerelle.pes.XsdReport;

/**
 * Writes a PES_ACQUIT (acquittement autonome V2) in the style of the real ones: ISO-8859-1,
 * Enveloppe and EnTetePES copied from the flow, Recepteur HELIOS, then the ElementACQUIT items.
 * The result is checked against the acquittement schema; when what was copied from a broken flow
 * does not pass, the header falls back to neutral values so that the acquittement always does.
 */
final class AcquitWriter {

    static final String NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour/v2";
    private static final XMLOutputFactory OUT = XMLOutputFactory.newDefaultFactory();

    private AcquitWriter() {
    }

    static byte[] write(AckHeader header, List<AckElement> elements) {
        byte[] copied = serialize(header, elements);
        if (valid(copied)) {
            return copied;
        }
        String nomFic = header.nomFic() != null && header.nomFic().length() <= 100 ? header.nomFic() : "INCONNU";
        return serialize(AckHeader.fallback(nomFic), elements);
    }

    static boolean valid(byte[] acquit) {
        try {
            XsdReport report = PesSchemas.validate(PesSchemas.acquit(), new ByteArrayInputStream(acquit));
            return report.valid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] serialize(AckHeader header, List<AckElement> elements) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = OUT.createXMLStreamWriter(bytes, "ISO-8859-1");
            w.writeStartDocument("ISO-8859-1", "1.0");
            w.writeCharacters("\n");
            w.setPrefix("n", NS);
            w.writeStartElement("n", "PES_ACQUIT", NS);
            w.writeNamespace("n", NS);
            w.writeStartElement("Enveloppe");
            w.writeStartElement("Parametres");
            v(w, "Version", "2");
            v(w, "TypFic", header.typFic());
            v(w, "NomFic", header.nomFic());
            w.writeEndElement();
            w.writeStartElement("Emetteur");
            for (Map.Entry<String, String> e : header.emetteur().entrySet()) {
                v(w, e.getKey(), e.getValue());
            }
            w.writeEndElement();
            w.writeStartElement("Recepteur");
            v(w, "Sigle", "HELIOS");
            w.writeEndElement();
            w.writeEndElement();
            w.writeStartElement("EnTetePES");
            for (Map.Entry<String, String> e : header.enTete()) {
                v(w, e.getKey(), e.getValue());
            }
            w.writeEndElement();
            w.writeStartElement("ACQUIT");
            w.writeStartElement("EnTeteAcquit");
            v(w, "IdVer", "2");
            w.writeEndElement();
            for (AckElement e : elements) {
                element(w, e);
            }
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("acquittement cannot be written", e);
        }
        return bytes.toByteArray();
    }

    private static void element(XMLStreamWriter w, AckElement e) throws XMLStreamException {
        w.writeStartElement("ElementACQUIT");
        v(w, "DomaineAck", Integer.toString(e.domaine()));
        v(w, "EtatAck", e.ok() ? "1" : "0");
        if (e.numBord() != null) {
            v(w, "NumBord", e.numBord());
            if (e.exerciceBord() != null) {
                v(w, "ExerciceBord", e.exerciceBord());
            }
        } else if (e.idUnique() != null) {
            v(w, "IdUnique", e.idUnique());
        }
        if (e.numAnoAck() != null) {
            w.writeStartElement("Erreur");
            v(w, "NumAnoAck", e.numAnoAck());
            if (e.libelleAnoAck() != null) {
                String libelle = e.libelleAnoAck();
                v(w, "LibelleAnoAck", libelle.length() > 500 ? libelle.substring(0, 497) + "..." : libelle);
            }
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    private static void v(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeEmptyElement(name);
        w.writeAttribute("V", value == null ? "" : value);
    }
}
