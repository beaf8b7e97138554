package fr.passerelle.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import fr.passerelle.Samples;
import fr.passerelle.ops.HostileInputs;
import fr.passerelle.xml.SafeXml;

/** The verifier (and /verify, which calls the same parse) answers a deep file with a LIMIT rule, never a 500. */
class SignatureLimitsTest {

    @TempDir
    Path dir;

    @Test
    void aDeepFileIsRefusedByName() throws IOException {
        Path deep = HostileInputs.deepPes(dir.resolve("deep.xml"), Samples.sample("pes/PESALR2_25060187900027_190328_001.xml"),
                100_000);
        assertThatThrownBy(() -> PesDocuments.parse(deep))
                .isInstanceOf(PesDocumentException.class)
                .satisfies(e -> assertThat(((PesDocumentException) e).rule()).isEqualTo("LIMIT-XML-DEPTH"))
                .hasMessageContaining("[LIMIT-XML-DEPTH]").hasMessageContaining("refusé sans être analysé");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> VerifyCommand.run(List.of(deep.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertThat(exit).isEqualTo(VerifyCommand.NOT_PROCESSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("LIMIT-XML-DEPTH");
    }

    /** A document built elsewhere (not through the pre-pass): registering Ids and verifying never overflow the stack. */
    @Test
    void aDeepDomBuiltInMemoryIsWalkedIteratively() {
        Document doc = SafeXml.documentBuilder().newDocument();
        Element at = doc.createElement("PES_Aller");
        doc.appendChild(at);
        for (int i = 0; i < 100_000; i++) {
            Element child = doc.createElement("e");
            child.setAttribute("Id", "id" + i);
            at.appendChild(child);
            at = child;
        }
        assertThat(PesDocuments.registerIds(doc)).isEmpty();
        try {
            VerificationReport report = new SignatureVerifier().verify(doc, "deep");
            assertThat(report.valid()).isFalse();
        } catch (PesDocumentException e) {
            assertThat(e.rule()).isEqualTo("LIMIT-XML-DEPTH");
        }
    }

    @Test
    void theSignedSampleStillVerifies() {
        VerificationReport r = new SignatureVerifier().verify(Samples.sample("pes/PESALR2_25060187900027_190328_001.xml"));
        assertThat(r.signatures()).isNotEmpty();
    }
}
