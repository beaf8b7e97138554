package fr.passerelle.chaos;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import fr.passerelle.treasury.simulator.HeliosSimulator;
import fr.passerelle.xml.SafeXml;

/**
 * What reached the treasury, invoice by invoice: every flow the simulator took delivery of is
 * read back — each PJ's {@code Contenu/Fichier} is the invoice file gzipped and base64-encoded
 * (see {@code PjFlowWriter}) — and each invoice is counted by the SHA-256 of its decoded content.
 *
 * <p>The files read are the simulator's copy of each delivery ({@code <root>/.state/recus/<n>-<name>},
 * one per delivery, taken when the file appeared under its final name in {@code depot/}), not
 * {@code depot/} itself: a flow delivered twice under the same name leaves one file in depot/ but
 * two copies. Their number is checked against the simulator's own delivery list.
 */
final class DeliveryLedger {

    /** Counts per invoice content (SHA-256), and what could not be read. */
    record Count(Map<String, Integer> bySha256, int files, int deliveriesRecorded, int pjs, List<String> unreadable) {

        int timesDelivered(String sha256) {
            return bySha256.getOrDefault(sha256, 0);
        }
    }

    private DeliveryLedger() {
    }

    static Count count(HeliosSimulator simulator) throws IOException {
        return count(simulator.root().resolve(HeliosSimulator.STATE).resolve("recus"), simulator.deliveries().size());
    }

    /** The invoices in every *.xml of the folder, one file per delivery. */
    static Count count(Path received, int deliveriesRecorded) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        List<String> unreadable = new ArrayList<>();
        int files = 0;
        int pjs = 0;
        List<Path> copies;
        try (Stream<Path> list = Files.exists(received) ? Files.list(received) : Stream.empty()) {
            copies = list.filter(f -> f.getFileName().toString().endsWith(".xml")).sorted().toList();
        }
        for (Path copy : copies) {
            files++;
            try (InputStream in = Files.newInputStream(copy)) {
                for (byte[] invoice : pjContents(in)) {
                    pjs++;
                    counts.merge(InvoiceStream.sha256(invoice), 1, Integer::sum);
                }
            } catch (IOException | XMLStreamException | RuntimeException e) {
                unreadable.add(copy.getFileName() + ": " + e);
            }
        }
        return new Count(Map.copyOf(counts), files, deliveriesRecorded, pjs, List.copyOf(unreadable));
    }

    /** The files carried by the PJ of a PES_Aller, decoded (base64, then gunzipped). */
    static List<byte[]> pjContents(InputStream pes) throws XMLStreamException, IOException {
        List<byte[]> contents = new ArrayList<>();
        XMLStreamReader xml = SafeXml.stax().createXMLStreamReader(pes);
        try {
            boolean inPj = false;
            boolean inContenu = false;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    if (name.equals("PJ")) {
                        inPj = true;
                    } else if (inPj && name.equals("Contenu")) {
                        inContenu = true;
                    } else if (inContenu && name.equals("Fichier")) {
                        String base64 = xml.getElementText(); // ends on the END_ELEMENT of Fichier
                        byte[] gzipped = Base64.getMimeDecoder().decode(base64);
                        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                            contents.add(in.readAllBytes());
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = xml.getLocalName();
                    if (name.equals("PJ")) {
                        inPj = false;
                    } else if (name.equals("Contenu")) {
                        inContenu = false;
                    }
                }
            }
        } finally {
            xml.close();
        }
        return contents;
    }

    /** Files left in depot/ under a temporary name (*.part): uploads never renamed. */
    static List<String> partFiles(HeliosSimulator simulator) throws IOException {
        try (Stream<Path> files = Files.list(simulator.depot())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".part")).sorted().toList();
        }
    }
}
