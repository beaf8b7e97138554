package fr.passerelle.treasury.simulator;

import static fr.passerelle.treasury.simulator.TestFlows.P_MSG;
import static fr.passerelle.treasury.simulator.TestFlows.latin1;
import static fr.passerelle.treasury.simulator.TestFlows.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import fr.gouv.minefi.cp.helios.pes_v2.rev0.retour.v2.TPESACQUIT;
import fr.passerelle.Samples;
import fr.passerelle.pes.PesModel;
import fr.passerelle.pes.PesSchemas;
import fr.passerelle.signature.SignatureVerifier;
import fr.passerelle.signature.VerificationReport;
import fr.passerelle.treasury.TreasuryConnection;
import fr.passerelle.treasury.TreasuryEndpoint.Protocol;
import fr.passerelle.treasury.TreasuryTransports;

/** The simulator's verdicts, through the real client, over FTP and SFTP. */
class HeliosSimulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path root;
    HeliosSimulator sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    private Path onlyAck() throws Exception {
        List<Path> acks = sim.awaitAcquittements(1, WAIT);
        assertThat(acks).hasSize(1);
        Path ack = acks.get(0);
        assertThat(PesSchemas.validate(PesSchemas.acquit(), ack).errors()).as(latin1(ack)).isEmpty();
        TPESACQUIT read = PesModel.unmarshalAcquit(ack);
        assertThat(read.getACQUIT().getElementACQUIT()).isNotEmpty();
        return ack;
    }

    private Path nthAck(int n) throws Exception {
        List<Path> acks = sim.awaitAcquittements(n, WAIT);
        assertThat(acks).hasSizeGreaterThanOrEqualTo(n);
        Path ack = acks.get(n - 1);
        assertThat(PesSchemas.validate(PesSchemas.acquit(), ack).errors()).as(latin1(ack)).isEmpty();
        return ack;
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void aSignedFlowUploadedAsPartThenRenamedIsDeliveredOnceAndAcknowledgedOk(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        String nomFic = TestFlows.nomFic();
        String pj1 = TestFlows.idUnique();
        String pj2 = TestFlows.idUnique();

        send(sim, protocol, nomFic, TestFlows.pjFlow(nomFic, pj1, pj2), P_MSG);

        assertThat(sim.awaitDeliveries(nomFic, 1, WAIT)).isTrue();
        Path ack = onlyAck();
        assertThat(sim.deliveries()).hasSize(1);
        HeliosSimulator.Delivery d = sim.deliveries().get(0);
        assertThat(d.fileName()).isEqualTo(nomFic + ".xml");
        assertThat(d.sha256()).hasSize(64);
        if (protocol == Protocol.FTP) {
            assertThat(d.siteCommands()).containsEntry("P_DEST", "HELIOS").containsEntry("P_APPLI", "GHELPES2")
                    .containsEntry("P_MSG", P_MSG);
        }
        assertThat(ack.getParent()).isEqualTo(sim.retour());
        assertThat(ack.getFileName().toString()).matches("031007_\\d{12}-ACK-" + nomFic + "_OK\\.xml");
        assertThat(latin1(ack)).startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
                .contains("<NomFic V=\"" + nomFic + "\"/>", "<Sigle V=\"HELIOS\"/>", "<IdPost V=\"031007\"/>",
                        "<IdUnique V=\"" + pj1 + "\"/>", "<IdUnique V=\"" + pj2 + "\"/>")
                .doesNotContain("<EtatAck V=\"0\"/>");
        assertThat(sim.deliveriesOf(nomFic)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void theSameNomFicAgainIsADuplicateBordereau(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        String nomFic = TestFlows.nomFic();
        byte[] flow = TestFlows.bordereauFlow(nomFic);
        send(sim, protocol, nomFic, flow, P_MSG);
        assertThat(latin1(nthAck(1))).contains("<DomaineAck V=\"5\"/><EtatAck V=\"1\"/><NumBord V=\"2372\"/>"
                + "<ExerciceBord V=\"2015\"/>");

        send(sim, protocol, nomFic, flow, P_MSG);

        Path ko = nthAck(2);
        assertThat(ko.getFileName().toString()).endsWith("-ACK-" + nomFic + "_KO.xml");
        assertThat(latin1(ko)).contains("<DomaineAck V=\"5\"/><EtatAck V=\"0\"/><NumBord V=\"2372\"/><ExerciceBord V=\"2015\"/>"
                + "<Erreur><NumAnoAck V=\"ERREUR_DOUBLON_BORDEREAU\"/><LibelleAnoAck V=\"Le fichier " + nomFic
                + " a déjà été intégré dans HELIOS\"/></Erreur>");
        assertThat(sim.deliveriesOf(nomFic)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void aNewFlowReusingAnIdUniqueIsKoWithTheRealHeliosMessage(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        String reused = TestFlows.idUnique();
        String first = TestFlows.nomFic();
        send(sim, protocol, first, TestFlows.pjFlow(first, reused), P_MSG);
        nthAck(1);
        String second = TestFlows.nomFic();
        String fresh = TestFlows.idUnique();

        send(sim, protocol, second, TestFlows.pjFlow(second, reused, fresh), P_MSG);

        Path ko = nthAck(2);
        assertThat(ko.getFileName().toString()).endsWith("_KO.xml");
        assertThat(latin1(ko)).contains("<DomaineAck V=\"4\"/><EtatAck V=\"0\"/><IdUnique V=\"" + reused + "\"/><Erreur>"
                        + "<NumAnoAck V=\"ERREUR_DOUBLON_PJ\"/><LibelleAnoAck V=\"1984 - L'identifiant unique de la PJ a "
                        + "déjà été intégré dans HELIOS\"/></Erreur>",
                "<DomaineAck V=\"4\"/><EtatAck V=\"1\"/><IdUnique V=\"" + fresh + "\"/>");
        assertThat(Files.readAllBytes(ko)).contains(0xE9); // é in ISO-8859-1, one byte
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void unsignedAndTamperedFlowsAreRefusedForTheirSignature(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        String unsigned = TestFlows.nomFic();
        send(sim, protocol, unsigned, TestFlows.unsignedPjFlow(unsigned, TestFlows.idUnique()), P_MSG);
        assertThat(latin1(nthAck(1))).contains("<DomaineAck V=\"1\"/><EtatAck V=\"0\"/><Erreur><NumAnoAck "
                + "V=\"ERREUR_SIGNATURE_INCOMPLETE\"/>");

        String tampered = TestFlows.nomFic();
        String signed = new String(TestFlows.bordereauFlow(tampered), "ISO-8859-1");
        byte[] changed = signed.replace("<MtBordHT V=\"55.22\"/>", "<MtBordHT V=\"55.23\"/>").getBytes("ISO-8859-1");
        assertThat(changed).isNotEqualTo(signed.getBytes("ISO-8859-1"));
        send(sim, protocol, tampered, changed, P_MSG);

        Path ko = nthAck(2);
        assertThat(latin1(ko)).contains("<NomFic V=\"" + tampered + "\"/>",
                "<DomaineAck V=\"1\"/><EtatAck V=\"0\"/><Erreur><NumAnoAck V=\"ERREUR_SIGNATURE_INVALIDE\"/>");
        // refused as a whole: the NomFic was not integrated, the corrected flow goes through
        send(sim, protocol, tampered, TestFlows.bordereauFlow(tampered), P_MSG);
        assertThat(nthAck(3).getFileName().toString()).endsWith("-ACK-" + tampered + "_OK.xml");
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void anXsdInvalidFlowIsATechnicalKo(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        String nomFic = TestFlows.nomFic();
        String pes = new String(TestFlows.pjFlow(nomFic, TestFlows.idUnique()), "ISO-8859-1")
                .replace("<IdColl V=\"24310063300011\"/>", "<IdColl V=\"SIRET\"/>");

        send(sim, protocol, nomFic, pes.getBytes("ISO-8859-1"), P_MSG);

        assertThat(latin1(onlyAck())).contains("<NomFic V=\"" + nomFic + "\"/>",
                "<DomaineAck V=\"0\"/><EtatAck V=\"0\"/><Erreur><NumAnoAck V=\"ERREUR_SCHEMA_INCOMPLET\"/>", "IdColl");
    }

    @Test
    void anUnparseableFileStillGetsAValidAcquittement() throws Exception {
        sim = TestFlows.start(root);
        send(sim, Protocol.SFTP, "pas-du-xml", "bonjour".getBytes("ISO-8859-1"), P_MSG);
        Path ack = onlyAck();
        assertThat(ack.getFileName().toString()).endsWith("-ACK-pas-du-xml_KO.xml");
        assertThat(latin1(ack)).contains("<NomFic V=\"pas-du-xml.xml\"/>", "ERREUR_SCHEMA_INCOMPLET");
        assertThat(sim.deliveries().get(0).nomFic()).isNull();
    }

    @Test
    void aWrongPMsgIsAPesParamKoWithTheExpectedValue() throws Exception {
        sim = TestFlows.start(root);
        String nomFic = TestFlows.nomFic();

        send(sim, Protocol.FTP, nomFic, TestFlows.pjFlow(nomFic, TestFlows.idUnique()), "PES#999#031007#00");

        assertThat(latin1(onlyAck())).contains("<NumAnoAck V=\"ERREUR_PES_PARAM\"/>",
                "Paramètre P_MSG incorrect : PES#100#031007#00 attendu", "reçu : PES#999#031007#00");
    }

    @Test
    void siteMetaSetsTheThreeParametersAtOnce() throws Exception {
        sim = TestFlows.start(root);
        String nomFic = TestFlows.nomFic();
        org.apache.commons.net.ftp.FTPClient ftp = new org.apache.commons.net.ftp.FTPClient();
        ftp.setDefaultTimeout(10_000);
        ftp.connect("127.0.0.1", sim.ftpPort());
        try {
            assertThat(ftp.login("passerelle", "secret")).isTrue();
            assertThat(ftp.sendSiteCommand("META P_DEST=HELIOS;P_APPLI=GHELPES2;P_MSG=" + P_MSG)).isTrue();
            ftp.setFileType(org.apache.commons.net.ftp.FTP.BINARY_FILE_TYPE);
            ftp.enterLocalPassiveMode();
            assertThat(ftp.storeFile("depot/" + nomFic + ".xml",
                    new ByteArrayInputStream(TestFlows.pjFlow(nomFic, TestFlows.idUnique())))).isTrue();
        } finally {
            ftp.disconnect();
        }
        assertThat(onlyAck().getFileName().toString()).endsWith("_OK.xml");
        assertThat(sim.deliveries().get(0).siteCommands()).containsEntry("P_APPLI", "GHELPES2").containsEntry("P_MSG", P_MSG);
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void aPartFileAloneIsNeverDelivered(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        String nomFic = TestFlows.nomFic();
        try (TreasuryConnection c = TreasuryTransports.open(TestFlows.endpoint(sim, protocol, Duration.ofSeconds(10)))) {
            c.announce("HELIOS", P_MSG);
            c.upload(nomFic + ".part", new ByteArrayInputStream(TestFlows.pjFlow(nomFic, TestFlows.idUnique())));
            assertThat(c.exists(nomFic + ".part")).isTrue();
            c.upload("autre.tmp", new ByteArrayInputStream(new byte[] {1}));
        }
        // a marker flow sent afterwards is processed: everything before it would have been too
        String marker = TestFlows.nomFic();
        send(sim, protocol, marker, TestFlows.pjFlow(marker, TestFlows.idUnique()), P_MSG);
        assertThat(sim.awaitDeliveries(marker, 1, WAIT)).isTrue();
        onlyAck();
        assertThat(sim.deliveries()).extracting(HeliosSimulator.Delivery::nomFic).containsExactly(marker);
        assertThat(sim.depot().resolve(nomFic + ".part")).exists();
    }

    @Test
    void duplicatesAreStillRefusedAfterARestart() throws Exception {
        sim = TestFlows.start(root);
        String nomFic = TestFlows.nomFic();
        String pj = TestFlows.idUnique();
        send(sim, Protocol.SFTP, nomFic, TestFlows.pjFlow(nomFic, pj), P_MSG);
        onlyAck();
        sim.close();

        sim = TestFlows.start(root);
        send(sim, Protocol.FTP, nomFic, TestFlows.pjFlow(nomFic, TestFlows.idUnique()), P_MSG);
        assertThat(latin1(onlyAck())).contains("ERREUR_DOUBLON_BORDEREAU", "Le fichier " + nomFic + " a déjà été intégré");
        String other = TestFlows.nomFic();
        send(sim, Protocol.FTP, other, TestFlows.pjFlow(other, pj), P_MSG);
        assertThat(latin1(nthAck(2))).contains("ERREUR_DOUBLON_PJ");
    }

    @Test
    void aPesRetourIsDroppedIntoRetourAtomically() throws Exception {
        sim = TestFlows.start(root);
        byte[] retour = Files.readAllBytes(Samples.sample("pes/PES_Retour_depense.xml"));
        sim.writeRetour("PES2R_031007_test.xml", retour);
        assertThat(sim.retour().resolve("PES2R_031007_test.xml")).hasBinaryContent(retour);
        try (var files = Files.list(sim.retour())) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void theRealSignedSampleHasAnExpiredCertificate() {
        // what the simulator relies on: the 2019 sample verifies, but its certificate ended in 2020
        VerificationReport r = new SignatureVerifier().verify(Samples.sample("pes/PESALR2_25060187900027_190328_001.xml"));
        assertThat(r.signatures()).isNotEmpty();
        assertThat(r.signatures()).allMatch(s -> s.certificateExpiredNow());
    }
}
