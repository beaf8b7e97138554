package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import fr.passerelle.Samples;

/** Returns from Hélios are checked against the limits as they stream: a deep or bloated one is refused by name. */
class HostileReturnReaderTest {

    private static byte[] planted(String sample, String what) throws IOException {
        String text = Files.readString(Samples.sample(sample), StandardCharsets.ISO_8859_1);
        int end = text.lastIndexOf("</");
        return (text.substring(0, end) + what + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aDeepAcquittementIsRefused() throws IOException {
        byte[] deep = planted("pes/PES_ACQUIT_ok.xml", "<e>".repeat(100_000) + "</e>".repeat(100_000));
        assertThatThrownBy(() -> AcquitReader.read(new ByteArrayInputStream(deep)))
                .isInstanceOf(ReturnFileException.class)
                .satisfies(e -> assertThat(((ReturnFileException) e).ruleId()).isEqualTo("LIMIT-XML-DEPTH"))
                .hasMessageContaining("n'a pas été lu").hasMessageContaining("128 niveaux");
    }

    @Test
    void aPesRetourWithTooManyAttributesIsRefused() throws IOException {
        StringBuilder e = new StringBuilder("<e");
        for (int i = 0; i < 100; i++) {
            e.append(" a").append(i).append("=\"v\"");
        }
        byte[] bloated = planted("pes/PES_Retour_depense.xml", e + "/>");
        assertThatThrownBy(() -> RetourReader.read(new ByteArrayInputStream(bloated)))
                .isInstanceOf(ReturnFileException.class)
                .satisfies(x -> assertThat(((ReturnFileException) x).ruleId()).isEqualTo("LIMIT-XML-ATTRIBUTES"));
    }

    @Test
    void theSampleReturnsStillRead() throws Exception {
        assertThat(AcquitReader.read(Samples.sample("pes/PES_ACQUIT_ok.xml")).items()).isNotEmpty();
        assertThat(RetourReader.read(Samples.sample("pes/PES_Retour_depense.xml"))).isNotNull();
    }
}
