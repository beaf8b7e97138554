package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Samples;
import fr.passerelle.document.Rejection;
import fr.passerelle.tenant.Commune;

class RelayCheckTest {

    private static final Predicate<String> NEVER = s -> false;

    @TempDir
    Path dir;

    private final RelayCheck relay = new RelayCheck();

    @Test
    void pesExFromItsOwnCommunePasses() throws IOException {
        assertThat(relay.check(Samples.sample("pes/PES_ex.xml"), Communes.sicoval(), NEVER, NEVER)).isEmpty();
    }

    @Test
    void signedFlowWithItsPjPasses() throws IOException {
        assertThat(relay.check(Samples.sample("pes/PESALR2_25060187900027_190328_001.xml"), Communes.bergerLevrault(),
                NEVER, NEVER)).isEmpty();
    }

    @Test
    void idCollOfAnotherCommune() throws IOException {
        Commune other = Communes.commune("sicoval", "Sicoval", "21310555400017", "031007", "100", List.of("00"));

        List<Rejection> problems = relay.check(Samples.sample("pes/PES_ex.xml"), other, NEVER, NEVER);

        assertThat(problems).singleElement().satisfies(r -> {
            assertThat(r.layer()).isEqualTo("pes");
            assertThat(r.rule()).isEqualTo("PES-IDCOLL");
            assertThat(r.location()).isEqualTo("ligne 1");
            assertThat(r.message()).contains("IdColl").contains("24310063300011").contains("21310555400017");
        });
    }

    @Test
    void codColOfAnotherCommune() throws IOException {
        Commune other = Communes.commune("sicoval", "Sicoval", "24310063300011", "031007", "103", List.of("00"));

        assertThat(rules(relay.check(Samples.sample("pes/PES_ex.xml"), other, NEVER, NEVER))).containsExactly("PES-CODCOL");
    }

    @Test
    void codBudNotOneOfTheCommunesBudgets() throws IOException {
        Commune other = Communes.commune("sicoval", "Sicoval", "24310063300011", "031007", "100", List.of("01", "02"));

        List<Rejection> problems = relay.check(Samples.sample("pes/PES_ex.xml"), other, NEVER, NEVER);

        assertThat(rules(problems)).containsExactly("PES-CODBUD");
        assertThat(problems.get(0).message()).contains("« 00 »").contains("01, 02");
    }

    @Test
    void idPostOfAnotherPosteComptable() throws IOException {
        Commune other = Communes.commune("sicoval", "Sicoval", "24310063300011", "031008", "100", List.of("00"));

        assertThat(rules(relay.check(Samples.sample("pes/PES_ex.xml"), other, NEVER, NEVER))).containsExactly("PES-IDPOST");
    }

    @Test
    void nomFicAlreadySent() throws IOException {
        List<Rejection> problems = relay.check(Samples.sample("pes/PES_ex.xml"), Communes.sicoval(),
                Set.of("SICOVAL201512104")::contains, NEVER);

        assertThat(rules(problems)).containsExactly("PES-NOMFIC-DOUBLON");
        assertThat(problems.get(0).message()).contains("SICOVAL201512104");
    }

    @Test
    void nomFicMissing() throws IOException {
        Path flow = edited("pes/PES_ex.xml", "<NomFic V=\"SICOVAL201512104\"/>", "");

        List<Rejection> problems = relay.check(flow, Communes.sicoval(), NEVER, NEVER);

        assertThat(rules(problems)).containsOnly("PES-XSD", "PES-NOMFIC").contains("PES-NOMFIC");
    }

    @Test
    void utf8DeclarationIsRefused() throws IOException {
        Path flow = edited("pes/PES_ex.xml", "encoding=\"ISO-8859-1\"", "encoding=\"UTF-8\"");

        List<Rejection> problems = relay.check(flow, Communes.sicoval(), NEVER, NEVER);

        assertThat(rules(problems)).containsExactly("PES-ENCODING");
        assertThat(problems.get(0).message()).contains("UTF-8").contains("ISO-8859-1");
    }

    @Test
    void tooLargeForTheConfiguredLimit() throws IOException {
        List<Rejection> problems = new RelayCheck(1024).check(Samples.sample("pes/PES_ex.xml"), Communes.sicoval(), NEVER, NEVER);

        assertThat(rules(problems)).containsExactly("PES-SIZE");
    }

    @Test
    void pjReferencedButNeitherInTheFlowNorSentBefore() throws IOException {
        Path flow = withoutPesPj("pes/PESALR2_25060187900027_190328_001.xml");

        List<Rejection> problems = relay.check(flow, Communes.bergerLevrault(), NEVER,
                Set.of("21780537300016DEPENSE2016001384")::contains);

        assertThat(problems).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("PES-PJREF");
            assertThat(r.message()).contains("21780537300016DEPENSE2016001385").contains("PJRef");
            assertThat(r.location()).startsWith("ligne ");
        });
    }

    @Test
    void pjAlreadySentToHeliosIsADuplicate() throws IOException {
        List<Rejection> problems = relay.check(Samples.sample("pes/PESALR2_25060187900027_190328_001.xml"),
                Communes.bergerLevrault(), NEVER, Set.of("21780537300016DEPENSE2016001385")::contains);

        assertThat(problems).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("PES-PJ-DOUBLON");
            assertThat(r.message()).contains("1984");
        });
    }

    @Test
    void invalidFlowNamesCarteAchatNiveau1() throws IOException {
        Commune departement = Communes.commune("cd61", "Département", "22610001400134", "061090", "020", List.of("00"));

        List<Rejection> problems = relay.check(Samples.sample("pes/PESALR1_unsigned.xml"), departement, NEVER, NEVER);

        assertThat(problems).filteredOn(r -> r.rule().equals("PES-XSD")).isNotEmpty().allSatisfy(r -> {
            assertThat(r.message()).contains("CarteAchatNiveau1").contains("ligne 58");
            assertThat(r.location()).startsWith("ligne 58");
        });
        // also declared UTF-8, and two of its three PJRef point to PJ that are nowhere
        assertThat(rules(problems)).contains("PES-ENCODING", "PES-PJREF").doesNotContain("PES-IDCOLL", "PES-CODCOL");
    }

    @Test
    void notXmlAtAllIsOneReadableProblem() throws IOException {
        Path flow = dir.resolve("pdf.xml");
        Files.write(flow, "%PDF-1.7 not a flow".getBytes(StandardCharsets.US_ASCII));

        List<Rejection> problems = relay.check(flow, Communes.sicoval(), NEVER, NEVER);

        assertThat(rules(problems)).contains("PES-XSD");
        assertThat(problems).extracting(Rejection::message).anyMatch(m -> m.contains("bien formé"));
    }

    private Path edited(String sample, String from, String to) throws IOException {
        String text = Files.readString(Samples.sample(sample), StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        Path copy = dir.resolve(Path.of(sample).getFileName());
        Files.writeString(copy, text.replace(from, to), StandardCharsets.ISO_8859_1);
        return copy;
    }

    private Path withoutPesPj(String sample) throws IOException {
        String text = Files.readString(Samples.sample(sample), StandardCharsets.ISO_8859_1);
        String pj = text.substring(text.indexOf("<PES_PJ>"), text.indexOf("</PES_PJ>") + "</PES_PJ>".length());
        return edited(sample, pj, "");
    }

    private static List<String> rules(List<Rejection> problems) {
        return problems.stream().map(Rejection::rule).toList();
    }
}
