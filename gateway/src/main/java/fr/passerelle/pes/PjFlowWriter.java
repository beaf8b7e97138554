package fr.passerelle.pes;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a PES_Aller that carries pièces justificatives (PES_PJ), streamed: each PJ's file is read,
 * gzipped, base64-encoded and written chunk by chunk, so memory stays flat whatever the flow's size.
 * ISO-8859-1, values as attributes V="…", elements in the order the XSD (Class_Enveloppe.xsd,
 * Class_EntetePES.xsd, Class_PJ.xsd) requires:
 * <pre>
 * PES_Aller
 *   Enveloppe/Parametres (Version, TypFic, NomFic), Emetteur (Sigle, Adresse)
 *   EnTetePES (DteStr, IdPost, IdColl, CodCol, CodBud, LibelleColBud)
 *   PES_PJ/EnTetePES_PJ/IdVer, then per PJ: Contenu/Fichier@MIMEType, IdUnique, NomPJ, TypePJ, Description
 * </pre>
 * Use: {@code try (PjFlowWriter w = new PjFlowWriter(out, header, nomFic)) { w.add(pj); … }}. Closing
 * ends the document and flushes; the caller's stream is left open. If a PJ fails (its file cannot be
 * read), the output is left unfinished, not well-formed, so that nothing can mistake it for a flow.
 */
public final class PjFlowWriter implements Closeable {

    /** PES_Aller "Version" of the Enveloppe: "Doit être valorisé à 2" (Class_Enveloppe.xsd). */
    static final String VERSION = "2";
    static final String TYPFIC = "PESALR2";
    private static final int CHUNK = 1 << 16;

    /**
     * Enveloppe/Emetteur: the software that produced the flow.
     *
     * @param sigle   publisher, at most 32 characters
     * @param adresse "name and version of the application", at most 38 characters
     */
    public record Emetteur(String sigle, String adresse) {
        public Emetteur {
            if (sigle == null || sigle.isBlank() || sigle.length() > 32) {
                throw new IllegalArgumentException("Emetteur/Sigle : 1 à 32 caractères");
            }
            if (adresse == null || adresse.isBlank() || adresse.length() > 38) {
                throw new IllegalArgumentException("Emetteur/Adresse : 1 à 38 caractères");
            }
        }
    }

    public static final Emetteur PASSERELLE = new Emetteur("Passerelle", "Passerelle PES PJ 0.1");

    private final OutputStream out;
    private final XMLStreamWriter xml;
    private int count;
    private boolean closed;
    /** A PJ failed half-written: the flow must not look complete, so close() will not end it. */
    private boolean broken;

    public PjFlowWriter(OutputStream out, PesHeader header, String nomFic) throws IOException {
        this(out, header, nomFic, PASSERELLE);
    }

    public PjFlowWriter(OutputStream out, PesHeader header, String nomFic, Emetteur emetteur) throws IOException {
        if (nomFic == null || nomFic.isBlank() || nomFic.length() > 100) {
            throw new IllegalArgumentException("NomFic : 1 à 100 caractères");
        }
        this.out = new BufferedOutputStream(out, CHUNK);
        try {
            xml = PesXml.staxOut().createXMLStreamWriter(this.out, "ISO-8859-1");
            xml.writeStartDocument("ISO-8859-1", "1.0");
            xml.writeStartElement("n", "PES_Aller", PesXml.ALLER_NS);
            xml.writeNamespace("n", PesXml.ALLER_NS);

            xml.writeStartElement("Enveloppe");
            xml.writeStartElement("Parametres");
            value("Version", VERSION);
            value("TypFic", TYPFIC);
            value("NomFic", nomFic);
            xml.writeEndElement();
            xml.writeStartElement("Emetteur");
            value("Sigle", emetteur.sigle());
            value("Adresse", emetteur.adresse());
            xml.writeEndElement();
            xml.writeEndElement();

            xml.writeStartElement("EnTetePES");
            value("DteStr", DateTimeFormatter.ISO_LOCAL_DATE.format(header.dteStr()));
            value("IdPost", header.idPost());
            value("IdColl", header.idColl());
            value("CodCol", header.codCol());
            value("CodBud", header.codBud());
            if (header.libelleColBud() != null) {
                value("LibelleColBud", header.libelleColBud());
            }
            xml.writeEndElement();

            xml.writeStartElement("PES_PJ");
            xml.writeStartElement("EnTetePES_PJ");
            value("IdVer", "1"); // "Seule valeur possible = 1"
            xml.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IOException("PES PJ flow cannot be written: " + e.getMessage(), e);
        }
    }

    /** Writes a complete flow with these PJ to the stream (left open). */
    public static void write(OutputStream out, PesHeader header, String nomFic, List<PjInput> pjs) throws IOException {
        if (pjs.isEmpty()) {
            throw new IllegalArgumentException("a PJ flow carries at least one PJ");
        }
        try (PjFlowWriter w = new PjFlowWriter(out, header, nomFic)) {
            for (PjInput pj : pjs) {
                w.add(pj);
            }
        }
    }

    /**
     * Writes a complete flow to {@code target}: first beside it, then moved into place, so that a
     * folder poller never picks up half a flow.
     */
    public static Path write(Path target, PesHeader header, String nomFic, List<PjInput> pjs) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                write(out, header, nomFic, pjs);
            }
            return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Appends one PJ: its content is opened, gzipped and base64-encoded into the flow as it is read. */
    public void add(PjInput pj) throws IOException {
        if (closed || broken) {
            throw new IllegalStateException(closed ? "flow already closed" : "flow broken by an earlier PJ");
        }
        broken = true; // until this PJ is complete
        try {
            xml.writeStartElement("PJ");
            xml.writeStartElement("Contenu");
            xml.writeStartElement("Fichier");
            xml.writeAttribute("MIMEType", pj.mimeType());
            content(pj);
            xml.writeEndElement();
            xml.writeEndElement();
            value("IdUnique", pj.idUnique());
            value("NomPJ", pj.nomPj());
            value("TypePJ", pj.typePj());
            value("Description", pj.description());
            xml.writeEndElement();
            count++;
            broken = false;
        } catch (XMLStreamException e) {
            throw new IOException("PJ " + pj.idUnique() + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** How many PJ were written so far. */
    public int count() {
        return count;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (broken) {
            out.flush(); // left truncated on purpose: no reader will take it for a whole flow
            return;
        }
        try {
            xml.writeEndElement(); // PES_PJ
            xml.writeEndElement(); // PES_Aller
            xml.writeEndDocument();
            xml.flush();
            xml.close();
            out.flush();
        } catch (XMLStreamException e) {
            throw new IOException("PES PJ flow cannot be finished: " + e.getMessage(), e);
        }
    }

    /**
     * file → gzip → base64 → the XML writer, one chunk at a time. (Writing the base64 straight to
     * the output stream, past the XML writer, was tried: on 100 MB the difference was within the
     * noise, so the XML writer keeps the whole document.)
     */
    private void content(PjInput pj) throws IOException {
        OutputStream base64 = Base64.getEncoder().wrap(new XmlText(xml));
        try (InputStream in = pj.content().get();
             GZIPOutputStream gzip = new GZIPOutputStream(base64, CHUNK)) {
            byte[] buffer = new byte[CHUNK];
            for (int n; (n = in.read(buffer)) > 0; ) {
                gzip.write(buffer, 0, n);
            }
        } // closing gzip finishes it and closes the base64 encoder, which writes the padding
    }

    private void value(String element, String v) throws XMLStreamException {
        xml.writeEmptyElement(element);
        xml.writeAttribute("V", v);
    }

    /** The base64 encoder's output (ASCII bytes) as element text of the XML writer, chunk by chunk. */
    private static final class XmlText extends OutputStream {
        private final XMLStreamWriter xml;
        private final char[] chars = new char[CHUNK];

        XmlText(XMLStreamWriter xml) {
            this.xml = xml;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                while (len > 0) {
                    int n = Math.min(len, chars.length);
                    for (int i = 0; i < n; i++) {
                        chars[i] = (char) (b[off + i] & 0xff);
                    }
                    xml.writeCharacters(chars, 0, n);
                    off += n;
                    len -= n;
                }
            } catch (XMLStreamException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void close() {
            // the element and the flow go on
        }
    }
}
