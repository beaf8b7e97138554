package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Validator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

import fr.passerelle.Samples;

class PesSchemasTest {

    @Test
    void realFlowsAreValidAgainstTheirSchema() throws IOException {
        assertThat(PesSchemas.validate(PesSchemas.aller(), Samples.sample("pes/PES_ex.xml")).errors()).isEmpty();
        assertThat(PesSchemas.validate(PesSchemas.aller(),
                Samples.sample("pes/PESALR2_25060187900027_190328_001.xml")).errors()).isEmpty();
        assertThat(PesSchemas.validate(PesSchemas.acquit(), Samples.sample("pes/PES_ACQUIT_ok.xml")).errors()).isEmpty();
        assertThat(PesSchemas.validate(PesSchemas.retour(), Samples.sample("pes/PES_Retour_depense.xml")).errors()).isEmpty();
    }

    @Test
    void carteAchatWrittenAsTextIsAnErrorNamingTheElementAndLine() throws IOException {
        XsdReport report = PesSchemas.validate(PesSchemas.aller(), Samples.sample("pes/PESALR1_unsigned.xml"));

        assertThat(report.valid()).isFalse();
        assertThat(report.wellFormed()).isTrue();
        assertThat(report.errors()).allSatisfy(e -> {
            assertThat(e.element()).isEqualTo("CarteAchatNiveau1");
            assertThat(e.line()).isEqualTo(lineOf(Samples.sample("pes/PESALR1_unsigned.xml"), "<CarteAchatNiveau1>"));
            assertThat(e.path()).endsWith("Piece/BlocPiece/InfoPce/CarteAchatNiveau1");
        });
        assertThat(report.errors()).extracting(XsdError::key).contains("cvc-complex-type.2.1");
        assertThat(report.errors()).filteredOn(e -> e.key().equals("cvc-complex-type.2.1"))
                .allSatisfy(e -> assertThat(e.french()).contains("CarteAchatNiveau1").contains("attribut V="));
    }

    @Test
    void acquittementsWithCodColZeroAreRefused() throws IOException {
        XsdReport report = PesSchemas.validate(PesSchemas.acquit(), Samples.sample("pes/PES_ACQUIT_ko_depense.xml"));

        assertThat(report.errors()).extracting(XsdError::element).contains("CodCol");
    }

    @Test
    void everyErrorIsCollectedNotJustTheFirst(@TempDir Path dir) throws IOException {
        String flow = Files.readString(Samples.sample("pes/PES_ex.xml"), StandardCharsets.ISO_8859_1)
                .replace("<IdPost V=\"031007\"/>", "<IdPost V=\"31\"/>")
                .replace("<CodCol V=\"100\"/>", "<CodCol V=\"1000\"/>")
                .replace("<TypBord V=\"01\"/>", "<TypBord V=\"99\"/>");
        Path file = dir.resolve("broken.xml");
        Files.writeString(file, flow, StandardCharsets.ISO_8859_1);

        XsdReport report = PesSchemas.validate(PesSchemas.aller(), file);

        assertThat(report.errors()).extracting(XsdError::element).contains("IdPost", "CodCol", "TypBord");
        assertThat(report.errorCount()).isEqualTo(report.errors().size());
        assertThat(report.errors()).allSatisfy(e -> assertThat(e.line()).isEqualTo(1));
    }

    @Test
    void aDoctypeIsRefusedAsNotWellFormedAndNothingIsFetched() throws IOException {
        String hostile = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                + "<!DOCTYPE n:PES_Aller [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + "<n:PES_Aller xmlns:n=\"" + PesXml.ALLER_NS + "\">&x;</n:PES_Aller>";

        XsdReport report = PesSchemas.validate(PesSchemas.aller(),
                new ByteArrayInputStream(hostile.getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(report.wellFormed()).isFalse();
        assertThat(report.errors()).hasSize(1);
        assertThat(report.errors().get(0).french()).contains("bien formé").doesNotContain("root:");
    }

    @Test
    void errorsBeyondTheCapAreCountedNotKept(@TempDir Path dir) throws IOException {
        String flow = Files.readString(Samples.sample("pes/PES_ex.xml"), StandardCharsets.ISO_8859_1);
        int start = flow.indexOf("<Bordereau ");
        int end = flow.indexOf("</Bordereau>") + "</Bordereau>".length();
        String badBordereau = flow.substring(start, end).replace("<TypBord V=\"01\"/>", "<TypBord V=\"99\"/>");
        StringBuilder many = new StringBuilder(flow.substring(0, start));
        for (int i = 0; i < PesSchemas.MAX_ERRORS + 100; i++) {
            many.append(badBordereau.replace("Id=\"SICOVAL", "Id=\"B" + i + "SICOVAL")).append('\n');
        }
        Path file = dir.resolve("many.xml");
        Files.writeString(file, many.append(flow.substring(end)).toString(), StandardCharsets.ISO_8859_1);

        XsdReport report = PesSchemas.validate(PesSchemas.aller(), file);

        assertThat(report.errors()).hasSize(PesSchemas.MAX_ERRORS);
        assertThat(report.truncated()).isTrue();
        assertThat(report.errorCount()).isGreaterThanOrEqualTo(PesSchemas.MAX_ERRORS + 100);
    }

    @Test
    void pjContentIsJudgedAsXercesJudgesBase64(@TempDir Path dir) throws Exception {
        List<String> contents = List.of("", "QUJD", "QUI=", "QQ==", "QR==", "QUM=", "QUJ", "QU=D", "Q===", "QUJD QUJD",
                " QUJD\n\tQUJD\r\n", "QUJ*", "QUJDQQ", "====", "QUJD=", "QUJDQUI=", "QUJDQUI==", "QU JD", "é", "QUJD&#x41;");
        for (String content : contents) {
            Path file = dir.resolve("pj.xml");
            Files.writeString(file, pjFlow(content), StandardCharsets.ISO_8859_1);

            XsdReport ours = PesSchemas.validate(PesSchemas.aller(), file);

            assertThat(ours.valid()).as("«" + content + "»").isEqualTo(xercesFindsItValid(file));
            assertThat(ours.errors()).allSatisfy(e -> {
                assertThat(e.element()).isEqualTo("Fichier");
                assertThat(e.path()).endsWith("PES_PJ/PJ/Contenu/Fichier");
                assertThat(e.french()).contains("Fichier");
            });
        }
    }

    /** The plain JDK validator, which buffers the text and decodes it: the reference for base64. */
    private static boolean xercesFindsItValid(Path file) throws Exception {
        Validator v = fr.passerelle.xml.SafeSchemas.validator(PesSchemas.aller());
        boolean[] valid = {true};
        v.setErrorHandler(new ErrorHandler() {
            public void warning(SAXParseException e) {
            }

            public void error(SAXParseException e) {
                valid[0] = false;
            }

            public void fatalError(SAXParseException e) {
                valid[0] = false;
            }
        });
        v.validate(new StreamSource(file.toFile()));
        return valid[0];
    }

    private static String pjFlow(String content) {
        return "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><n:PES_Aller xmlns:n=\"" + PesXml.ALLER_NS + "\">"
                + "<Enveloppe><Parametres><Version V=\"2\"/><TypFic V=\"PESALR2\"/><NomFic V=\"T1\"/></Parametres>"
                + "<Emetteur><Sigle V=\"T\"/><Adresse V=\"T\"/></Emetteur></Enveloppe>"
                + "<EnTetePES><DteStr V=\"2026-11-22\"/><IdPost V=\"031007\"/><IdColl V=\"24310063300011\"/>"
                + "<CodCol V=\"100\"/><CodBud V=\"00\"/></EnTetePES>"
                + "<PES_PJ><EnTetePES_PJ><IdVer V=\"1\"/></EnTetePES_PJ><PJ><Contenu><Fichier MIMEType=\"application/pdf\">"
                + content + "</Fichier></Contenu><IdUnique V=\"A1\"/><NomPJ V=\"f.pdf\"/><Description V=\"d\"/></PJ>"
                + "</PES_PJ></n:PES_Aller>";
    }

    static int lineOf(Path file, String text) throws IOException {
        var lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }
}
