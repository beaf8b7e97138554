package fr.passerelle.treasury.simulator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import fr.passerelle.Samples;
import fr.passerelle.pes.PesHeader;
import fr.passerelle.pes.PjFlowWriter;
import fr.passerelle.pes.PjInput;
import fr.passerelle.signature.DemoKeys;
import fr.passerelle.signature.SigningKey;
import fr.passerelle.signature.XadesSigner;
import fr.passerelle.treasury.SiteCommands;
import fr.passerelle.treasury.TreasuryConnection;
import fr.passerelle.treasury.TreasuryEndpoint;
import fr.passerelle.treasury.TreasuryTransports;

/** PES flows as the gateway makes them (PjFlowWriter, XadesSigner with a demo key), and sending them. */
final class TestFlows {

    static final PesHeader HEADER = new PesHeader("031007", "24310063300011", "100", "00", "Sicoval",
            LocalDate.of(2026, 11, 22));
    /** The P_MSG of {@link #HEADER} and of the PES_ex sample (same poste, collectivité, budget). */
    static final String P_MSG = SiteCommands.pMsg("100", "031007", "00");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static SigningKey key;

    private TestFlows() {
    }

    static synchronized SigningKey key() {
        if (key == null) {
            key = DemoKeys.selfSigned("Commune de Testeval", Instant.now().minus(Duration.ofDays(1)),
                    Instant.now().plus(Duration.ofDays(365)));
        }
        return key;
    }

    /** A NomFic no other test uses. */
    static String nomFic() {
        return "PESALR2_24310063300011_261122_" + System.nanoTime() % 100000 + COUNTER.incrementAndGet();
    }

    static String idUnique() {
        return "243100633PSL" + System.nanoTime() % 1000000000L + COUNTER.incrementAndGet();
    }

    /** A PJ-only flow, unsigned. */
    static byte[] unsignedPjFlow(String nomFic, String... idUniques) throws IOException {
        List<PjInput> pjs = new ArrayList<>();
        for (String id : idUniques) {
            byte[] pdf = ("%PDF-1.4 facture " + id).getBytes(StandardCharsets.ISO_8859_1);
            pjs.add(new PjInput(id, "facture-" + id.substring(id.length() - 4) + ".pdf", null, "Facture " + id,
                    "application/pdf", () -> new ByteArrayInputStream(pdf), pdf.length));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PjFlowWriter.write(out, HEADER, nomFic, pjs);
        return out.toByteArray();
    }

    /** A PJ-only flow signed as the gateway signs it (whole flow: it has no Bordereau). */
    static byte[] pjFlow(String nomFic, String... idUniques) throws Exception {
        return new XadesSigner().sign(unsignedPjFlow(nomFic, idUniques), nomFic, key(), Instant.now(), false);
    }

    /** The PES_ex sample (one dépense Bordereau) under another NomFic, signed per Bordereau. */
    static byte[] bordereauFlow(String nomFic) throws Exception {
        String pes = Files.readString(Samples.sample("pes/PES_ex.xml"), StandardCharsets.ISO_8859_1)
                .replace("<NomFic V=\"SICOVAL201512104\"/>", "<NomFic V=\"" + nomFic + "\"/>");
        return new XadesSigner().sign(pes.getBytes(StandardCharsets.ISO_8859_1), nomFic, key(), Instant.now(), false);
    }

    static TreasuryEndpoint endpoint(HeliosSimulator sim, TreasuryEndpoint.Protocol protocol, Duration readTimeout) {
        int port = protocol == TreasuryEndpoint.Protocol.SFTP ? sim.sftpPort() : sim.ftpPort();
        return new TreasuryEndpoint("helios-simulator", protocol, "127.0.0.1", port, "passerelle", "secret",
                HeliosSimulator.DEPOT, HeliosSimulator.RETOUR, "HELIOS", Duration.ofSeconds(5), readTimeout);
    }

    static HeliosSimulator start(Path root) throws IOException {
        return new HeliosSimulator(new HeliosSimulator.Options(root, "127.0.0.1", 0, 0, "passerelle", "secret",
                Duration.ZERO, root.resolve(".state/host.key"))).start();
    }

    /** As the gateway sends: announce, upload under .part, rename to .xml. */
    static void send(HeliosSimulator sim, TreasuryEndpoint.Protocol protocol, String baseName, byte[] flow, String pMsg)
            throws IOException {
        try (TreasuryConnection c = TreasuryTransports.open(endpoint(sim, protocol, Duration.ofSeconds(10)))) {
            c.announce("HELIOS", pMsg);
            c.upload(baseName + ".part", new ByteArrayInputStream(flow));
            c.rename(baseName + ".part", baseName + ".xml");
        }
    }

    static String latin1(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
