package fr.passerelle.treasury.simulator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import fr.passerelle.xml.SafeXml;

/**
 * What an acquittement copies from its flow: TypFic, NomFic, the Emetteur and the EnTetePES
 * values in their order. Read leniently (hardened StAX, stops at the first PES block or error):
 * even a flow refused for its schema gets an acquittement naming it as well as possible.
 */
record AckHeader(String typFic, String nomFic, Map<String, String> emetteur, List<Map.Entry<String, String>> enTete) {

    /** When nothing usable can be copied: values that pass the acquittement's schema. */
    static AckHeader fallback(String nomFic) {
        Map<String, String> emetteur = new LinkedHashMap<>(); // Sigle then Adresse, as the schema orders them
        emetteur.put("Sigle", "INCONNU");
        emetteur.put("Adresse", "INCONNU");
        return new AckHeader("PESALR2", nomFic, emetteur, List.of(
                Map.entry("DteStr", LocalDate.now().toString()), Map.entry("IdPost", "999999"),
                Map.entry("IdColl", "99999999999999"), Map.entry("CodCol", "999"), Map.entry("CodBud", "99")));
    }

    String idPost() {
        return enTete.stream().filter(e -> e.getKey().equals("IdPost")).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    static AckHeader read(Path file, String defaultNomFic) {
        String typFic = null;
        String nomFic = null;
        Map<String, String> emetteur = new LinkedHashMap<>();
        List<Map.Entry<String, String>> enTete = new ArrayList<>();
        List<String> open = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            XMLStreamReader r = SafeXml.stax().createXMLStreamReader(in);
            try {
                scan:
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamConstants.DTD) {
                        break;
                    } else if (event == XMLStreamConstants.START_ELEMENT) {
                        String name = r.getLocalName();
                        open.add(name);
                        int depth = open.size();
                        String parent = depth >= 2 ? open.get(depth - 2) : null;
                        String v = r.getAttributeValue(null, "V");
                        if (depth == 2 && !name.equals("Enveloppe") && !name.equals("EnTetePES")) {
                            break scan; // the PES blocks (and their PJ) are not needed
                        } else if (depth == 4 && "Parametres".equals(parent)) {
                            if (name.equals("TypFic")) {
                                typFic = v;
                            } else if (name.equals("NomFic")) {
                                nomFic = v;
                            }
                        } else if (depth == 4 && "Emetteur".equals(parent) && v != null) {
                            emetteur.put(name, v);
                        } else if (depth == 3 && "EnTetePES".equals(parent) && v != null) {
                            enTete.add(Map.entry(name, v));
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        open.remove(open.size() - 1);
                    }
                }
            } finally {
                r.close();
            }
        } catch (IOException | XMLStreamException | RuntimeException e) {
            // not well-formed: keep what was read before the error
        }
        return new AckHeader(typFic == null || typFic.isBlank() ? "PESALR2" : typFic,
                nomFic == null || nomFic.isBlank() ? defaultNomFic : nomFic, emetteur, enTete);
    }
}
