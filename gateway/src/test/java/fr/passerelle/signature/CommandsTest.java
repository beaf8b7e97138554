package fr.passerelle.signature;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CommandsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int verify(String... args) {
        return VerifyCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int sign(String... args) {
        return SignCommand.run(List.of(args), new PrintStream(out, true), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verifyListsTheFactsOfTheRealSignedSample() {
        assertThat(verify(Pes.path(Pes.SIGNED_SAMPLE).toString())).isEqualTo(VerifyCommand.VALID);

        assertThat(out()).contains("1 signature, valid").contains("Bordereau N10025 (IdBord 11, Exer 2019): valid")
                .contains("signer: EMAILADDRESS=celine.thomas@berger-levrault.com,CN=THOMAS Celine")
                .contains("serial: 120612209071880369374275")
                .contains("signing time: 2019-03-28T09:09:14.187Z")
                .contains("policy: urn:oid:1.2.250.1.131.1.5.18.21.1.7 (DGFiP, hash matches)")
                .contains("certificate: valid from 2018-11-26T10:14:24Z to 2020-04-29T13:20:14Z, valid at signing time, "
                        + "expired today");
    }

    @Test
    void verifyJson() throws Exception {
        assertThat(verify(Pes.path(Pes.SIGNED_SAMPLE).toString(), "--json")).isEqualTo(VerifyCommand.VALID);

        Map<?, ?> json = new ObjectMapper().readValue(out(), Map.class);
        assertThat(json.get("valid")).isEqualTo(true);
        assertThat(json.get("count")).isEqualTo(1);
    }

    @Test
    void verifyExitCodes(@TempDir Path dir) throws Exception {
        assertThat(verify(Pes.path(Pes.EXAMPLE).toString())).as("no signature").isEqualTo(VerifyCommand.INVALID);
        assertThat(out()).contains("INVALID (aucune signature dans le flux)");

        byte[] tampered = Pes.latin1(Pes.bytes(Pes.SIGNED_SAMPLE)).replace("<IdBord V=\"11\"/>", "<IdBord V=\"12\"/>")
                .getBytes(StandardCharsets.ISO_8859_1);
        Path bad = Files.write(dir.resolve("tampered.xml"), tampered);
        assertThat(verify(bad.toString())).isEqualTo(VerifyCommand.INVALID);
        assertThat(out()).contains("problem: empreinte (digest) différente pour Bordereau N10025");

        Path notXml = Files.writeString(dir.resolve("x.xml"), "not xml at all");
        assertThat(verify(notXml.toString())).isEqualTo(VerifyCommand.NOT_PROCESSED);
        assertThat(verify(dir.resolve("missing.xml").toString())).isEqualTo(VerifyCommand.NOT_PROCESSED);
        assertThat(verify()).isEqualTo(VerifyCommand.NOT_PROCESSED);
    }

    @Test
    void signWithTheCommuneKeyGeneratedAtFirstUse(@TempDir Path dir) throws Exception {
        Path signed = dir.resolve("signed.xml");

        int exit = sign("--commune", "aubeval", Pes.path(Pes.EXAMPLE).toString(), "-o", signed.toString(),
                "--tenants", "config/tenants.yaml", "--keys-dir", dir.toString());

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(SignCommand.SIGNED);
        assertThat(dir.resolve("keys/aubeval.p12")).exists();
        assertThat(dir.resolve("keys/aubeval.p12.password")).exists();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("demo key was generated");
        VerificationReport report = new SignatureVerifier().verify(signed);
        assertThat(report.valid()).as(report.toJson()).isTrue();
        assertThat(report.signatures().get(0).signer()).contains("Aubeval");

        // to standard output, with the key now in place, the whole flow
        out.reset();
        err.reset();
        assertThat(sign("--commune", "aubeval", "--whole", Pes.path(Pes.EXAMPLE).toString(), "--keys-dir",
                dir.toString())).isEqualTo(SignCommand.SIGNED);
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("demo key");
        VerificationReport whole = new SignatureVerifier().verify(PesDocuments.parse(out.toByteArray(), "stdout"));
        assertThat(whole.valid()).isTrue();
        assertThat(whole.signatures().get(0).wholeDocument()).isTrue();
    }

    @Test
    void signRefusesAnExpiredCertificate(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("keys/aubeval.p12");
        Files.createDirectories(keystore.getParent());
        try (var o = Files.newOutputStream(keystore)) {
            DemoKeys.store(TestKeys.expired(), "pw".toCharArray(), o);
        }
        Files.writeString(CommuneKeyStore.passwordFile(keystore), "pw");
        Path signed = dir.resolve("signed.xml");

        assertThat(sign("--commune", "aubeval", Pes.path(Pes.EXAMPLE).toString(), "-o", signed.toString(),
                "--keys-dir", dir.toString())).isEqualTo(SignCommand.REFUSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("a expiré le");
        assertThat(signed).doesNotExist();
    }

    @Test
    void signRefusesAnUnknownCommuneOrAMissingFile(@TempDir Path dir) {
        assertThat(sign("--commune", "nowhere", Pes.path(Pes.EXAMPLE).toString(), "--keys-dir", dir.toString()))
                .isEqualTo(SignCommand.NOT_PROCESSED);
        assertThat(sign("--commune", "aubeval", dir.resolve("missing.xml").toString(), "--keys-dir", dir.toString()))
                .isEqualTo(SignCommand.NOT_PROCESSED);
        assertThat(sign(Pes.path(Pes.EXAMPLE).toString())).isEqualTo(SignCommand.NOT_PROCESSED);
    }
}
