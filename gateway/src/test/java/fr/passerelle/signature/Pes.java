package fr.passerelle.signature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import fr.passerelle.Samples;

/** The shared PES samples, read in place, and small DOM helpers for the signature tests. */
final class Pes {

    static final String SIGNED_SAMPLE = "pes/PESALR2_25060187900027_190328_001.xml";
    static final String EXAMPLE = "pes/PES_ex.xml";
    static final String UNSIGNED_ALR1 = "pes/PESALR1_unsigned.xml";

    private Pes() {
    }

    static byte[] bytes(String sample) throws IOException {
        return Files.readAllBytes(Samples.sample(sample));
    }

    static Path path(String sample) {
        return Samples.sample(sample);
    }

    static Document parse(String sample) throws IOException {
        return PesDocuments.parse(bytes(sample), sample);
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static List<Element> signatures(Document doc) {
        return elements(doc, HeliosPolicy.DS_NS, "Signature");
    }

    static List<Element> elements(Document doc, String ns, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS(ns, localName);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    static List<Element> children(Element parent) {
        List<Element> list = new ArrayList<>();
        for (Element e = PesDocuments.firstElement(parent); e != null; e = PesDocuments.nextElement(e)) {
            list.add(e);
        }
        return list;
    }

    static Element lastChild(Element parent) {
        List<Element> c = children(parent);
        return c.get(c.size() - 1);
    }

    /** The bytes of the first {@code <Bordereau …>…</Bordereau>} of a flow, as Latin-1 text. */
    static String firstBordereau(byte[] pes) {
        String s = latin1(pes);
        int start = s.indexOf("<Bordereau");
        int end = s.indexOf("</Bordereau>", start) + "</Bordereau>".length();
        return s.substring(start, end);
    }
}
