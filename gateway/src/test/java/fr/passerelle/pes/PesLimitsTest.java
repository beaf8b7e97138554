package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Samples;
import fr.passerelle.document.Rejection;
import fr.passerelle.intake.Format;
import fr.passerelle.intake.FormatSniffer;
import fr.passerelle.ops.HostileInputs;
import fr.passerelle.xml.XmlLimits;
import fr.passerelle.xml.XmlScan;

/** PES flows: the XML limits hold before the schema validation, and a PES's big PJ is within them. */
class PesLimitsTest {

    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aDeeplyNestedPesIsRefusedBeforeTheSchema() throws IOException {
        Path deep = HostileInputs.deepPes(dir.resolve("deep.xml"), Samples.sample("pes/PES_ex.xml"), 100_000);
        List<Rejection> problems = assertTimeoutPreemptively(HANG_GUARD,
                () -> new RelayCheck().check(deep, Communes.sicoval(), s -> false, s -> false));
        assertThat(problems).hasSize(1);
        Rejection r = problems.get(0);
        assertThat(r.rule()).isEqualTo("LIMIT-XML-DEPTH");
        assertThat(r.layer()).isEqualTo("pes");
        assertThat(r.location()).startsWith("ligne ");
        assertThat(r.message()).contains("imbriqués sur plus de 128 niveaux").contains("refusé sans être analysé");
    }

    @Test
    void aPesWithABigPjIsWithinThePesLimitsButNotAnInvoiceText() throws IOException {
        Path pes = HostileInputs.pesWithBigPj(dir.resolve("big.xml"), 24L << 20); // ~32 MB of base64 in one Fichier
        assertThat(Files.size(pes)).isGreaterThan(30L << 20);
        List<Rejection> problems = assertTimeoutPreemptively(HANG_GUARD,
                () -> new RelayCheck().check(pes, Communes.sicoval(), s -> false, s -> false));
        assertThat(problems).noneMatch(p -> p.rule().startsWith("LIMIT-"));
        assertThat(problems).noneMatch(p -> p.rule().equals("PES-XSD"));
        assertThat(new FormatSniffer().sniff(pes).format()).isEqualTo(Format.PES_ALLER);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(pes))) {
            assertThat(XmlScan.scan(in, XmlLimits.INVOICE).problem().rule()).isEqualTo("LIMIT-XML-TEXT");
        }
    }

    @Test
    void theSamplesAreWithinThePesLimits() throws IOException {
        for (String sample : List.of("pes/PES_ex.xml", "pes/PESALR1_unsigned.xml", "pes/PESALR2_25060187900027_190328_001.xml",
                "pes/PES_ACQUIT_ok.xml", "pes/PES_Retour_depense.xml")) {
            try (InputStream in = Files.newInputStream(Samples.sample(sample))) {
                assertThat(XmlScan.scan(in, XmlLimits.PES).problem()).as(sample).isNull();
            }
        }
    }
}
