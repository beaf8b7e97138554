package fr.passerelle.signature;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PesDocumentsTest {

    @Test
    void refusesADoctype(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "secret");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE n [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<PES_Aller><Nom V=\"&x;\"/></PES_Aller>";

        assertThatThrownBy(() -> PesDocuments.parse(xxe.getBytes(StandardCharsets.UTF_8), "xxe"))
                .isInstanceOf(PesDocumentException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void refusesWhatIsNotXml() {
        assertThatThrownBy(() -> PesDocuments.parse("%PDF-1.7".getBytes(StandardCharsets.US_ASCII), "x.pdf"))
                .isInstanceOf(PesDocumentException.class).hasMessageStartingWith("x.pdf : XML illisible");
    }

    @Test
    void registersEveryIdAndRefusesDuplicates() throws Exception {
        Document doc = Pes.parse(Pes.SIGNED_SAMPLE);
        assertThat(doc.getElementById("N10025").getLocalName()).isEqualTo("Bordereau");
        assertThat(doc.getElementById("IDC1190328100914p0100_SP").getLocalName()).isEqualTo("SignedProperties");

        String twice = "<r><a Id=\"x\"/><b Id=\"x\"/></r>";
        assertThatThrownBy(() -> PesDocuments.parse(twice.getBytes(StandardCharsets.UTF_8), "twice"))
                .isInstanceOf(PesDocumentException.class).hasMessageContaining("Id en double : x");
    }

    @Test
    void writesIso88591WithItsDeclaration() {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PES_Aller><Obj V=\"réseau d’eau\"/></PES_Aller>";
        Document doc = PesDocuments.parse(xml.getBytes(StandardCharsets.UTF_8), "utf8");

        byte[] out = PesDocuments.toBytes(doc);

        String text = Pes.latin1(out);
        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
        // é is one Latin-1 byte; the curly apostrophe is outside Latin-1: a character reference
        assertThat(text).contains("r\u00e9seau d&#8217;eau");
        Element obj = (Element) PesDocuments.parse(out, "back").getDocumentElement().getFirstChild();
        assertThat(obj.getAttribute("V")).isEqualTo("réseau d’eau");
    }

    @Test
    void theRealSignedSampleIsWrittenBackByteForByte() throws Exception {
        byte[] original = Pes.bytes(Pes.SIGNED_SAMPLE);

        assertThat(PesDocuments.toBytes(PesDocuments.parse(original, "sample"))).isEqualTo(original);
    }
}
