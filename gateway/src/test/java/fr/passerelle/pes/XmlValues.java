package fr.passerelle.pes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import fr.passerelle.xml.SafeXml;

/**
 * Test helper: every attribute and every non-blank text of a document, as "path@name=value" in
 * document order. Whitespace inside text is dropped: in PES, text is only base64 (signatures, PJ
 * content), where line breaks carry nothing.
 */
final class XmlValues {

    private XmlValues() {
    }

    static List<String> of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = SafeXml.stax().createXMLStreamReader(in);
            List<String> values = new ArrayList<>();
            Deque<String> path = new ArrayDeque<>();
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    path.addLast(r.getLocalName());
                    String p = String.join("/", path);
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        values.add(p + "@" + r.getAttributeLocalName(i) + "=" + r.getAttributeValue(i));
                    }
                } else if (event == XMLStreamConstants.CHARACTERS && !r.isWhiteSpace()) {
                    values.add(String.join("/", path) + "=" + r.getText().replaceAll("\\s+", ""));
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    path.removeLast();
                }
            }
            return values;
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
    }

    static String declaredEncoding(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return SafeXml.stax().createXMLStreamReader(in).getCharacterEncodingScheme();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
    }
}
