package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.gouv.minefi.cp.helios.pes_v2.depense.r0.aller.TBordereau;
import fr.gouv.minefi.cp.helios.pes_v2.rev0.aller.PESAller;
import fr.gouv.minefi.cp.helios.pes_v2.rev0.retour.PESRetour;
import fr.gouv.minefi.cp.helios.pes_v2.rev0.retour.v2.TPESACQUIT;
import fr.passerelle.Samples;

class PesModelTest {

    @TempDir
    Path dir;

    @Test
    void pesExRoundTripKeepsEveryValue() throws Exception {
        Path original = Samples.sample("pes/PES_ex.xml");
        PESAller pes = PesModel.unmarshalAller(original);

        assertThat(pes.getEnveloppe().getParametres().getNomFic().getV()).isEqualTo("SICOVAL201512104");
        assertThat(pes.getEnTetePES().getIdPost().getV()).isEqualTo("031007");
        assertThat(pes.getEnTetePES().getIdColl().getV()).isEqualTo("24310063300011");
        assertThat(pes.getEnTetePES().getCodCol().getV()).isEqualTo("100");
        assertThat(pes.getEnTetePES().getCodBud().getV()).isEqualTo("00");
        TBordereau bordereau = pes.getPESDepenseAller().getBordereau().get(0);
        assertThat(bordereau.getBlocBordereau().getIdBord().getV()).isEqualByComparingTo("2372");

        assertRoundTrip(original, PesModel.unmarshalAller(original));
    }

    @Test
    void signedFlowRoundTripKeepsBordereauxPjAndBooleans() throws Exception {
        Path original = Samples.sample("pes/PESALR2_25060187900027_190328_001.xml");
        PESAller pes = PesModel.unmarshalAller(original);

        assertThat(pes.getPESDepenseAller().getEnTeteDepense().getInfoDematerialisee().isV()).isTrue();
        assertThat(pes.getPESPJ().getPJ()).extracting(pj -> pj.getIdUnique().getV())
                .containsExactly("21780537300016DEPENSE2016001384", "21780537300016DEPENSE2016001385");

        Path copy = assertRoundTrip(original, pes);
        String text = Files.readString(copy, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("<InfoDematerialisee V=\"1\"/>").contains("<Exer V=\"2019\"/>")
                .contains("<IdBord V=\"11\"/>").contains("é"); // Latin-1 kept as such, not as references
    }

    @Test
    void acquittementRoundTrip() throws Exception {
        Path original = Samples.sample("pes/PES_ACQUIT_ok.xml");
        TPESACQUIT acquit = PesModel.unmarshalAcquit(original);

        assertThat(acquit.getEnveloppe().getParametres().getNomFic().getV()).isEqualTo("HELIOS_SIMU_ALR2_1477486132_1155762524.xml");
        assertRoundTrip(original, acquit);
    }

    @Test
    void pesRetourRoundTrip() throws Exception {
        Path original = Samples.sample("pes/PES_Retour_depense.xml");
        PESRetour retour = PesModel.unmarshalRetour(original);

        assertThat(retour.getEnTetePES().getIdPost().getV()).isEqualTo("082008");
        assertRoundTrip(original, retour);
    }

    @Test
    void invalidFlowIsRefusedNamingTheElement() {
        assertThatThrownBy(() -> PesModel.unmarshalAller(Samples.sample("pes/PESALR1_unsigned.xml")))
                .isInstanceOfSatisfying(PesInvalidException.class, e -> {
                    assertThat(e.errors()).isNotEmpty().allSatisfy(x -> assertThat(x.element()).isEqualTo("CarteAchatNiveau1"));
                    assertThat(e.getMessage()).contains("CarteAchatNiveau1");
                    assertThat(e.rejections()).allSatisfy(r -> {
                        assertThat(r.layer()).isEqualTo("pes");
                        assertThat(r.rule()).isEqualTo("PES-XSD");
                        assertThat(r.message()).contains("CarteAchatNiveau1");
                    });
                });
    }

    @Test
    void anAcquittementIsNotReadAsAPesAller() {
        assertThatThrownBy(() -> PesModel.unmarshalAller(Samples.sample("pes/PES_ACQUIT_ok.xml")))
                .isInstanceOf(PesInvalidException.class);
    }

    @Test
    void doctypeIsRefused() throws IOException {
        Path hostile = dir.resolve("hostile.xml");
        Files.writeString(hostile, "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<n:PES_Aller xmlns:n=\"" + PesXml.ALLER_NS + "\">&e;</n:PES_Aller>");

        assertThatThrownBy(() -> PesModel.unmarshalAller(hostile)).isInstanceOfSatisfying(PesInvalidException.class,
                e -> assertThat(e.errors().get(0).fatal()).isTrue());
    }

    @Test
    void writingAnInvalidModelIsRefused() throws Exception {
        PESAller pes = PesModel.unmarshalAller(Samples.sample("pes/PES_ex.xml"));
        pes.getEnTetePES().getCodCol().setV("1000");

        assertThatThrownBy(() -> PesModel.marshal(pes, OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(PesInvalidException.class, e -> assertThat(e.getMessage()).contains("1000"));
    }

    /** Writes the model back, checks it is ISO-8859-1, valid, and carries exactly the original's values. */
    private Path assertRoundTrip(Path original, Object model) throws Exception {
        Path copy = dir.resolve("copy-" + original.getFileName());
        try (OutputStream out = Files.newOutputStream(copy)) {
            PesModel.marshal(model, out);
        }
        assertThat(Files.readString(copy, StandardCharsets.ISO_8859_1)).startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
        assertThat(XmlValues.declaredEncoding(copy)).isEqualTo("ISO-8859-1");
        var schema = model instanceof PESAller ? PesSchemas.aller()
                : model instanceof PESRetour ? PesSchemas.retour() : PesSchemas.acquit();
        assertThat(PesSchemas.validate(schema, copy).errors()).isEmpty();
        List<String> expected = XmlValues.of(original).stream()
                .filter(v -> !v.contains("@schemaLocation=")) // a hint, not data: the writer does not repeat it
                .toList();
        assertThat(XmlValues.of(copy)).containsExactlyElementsOf(expected);
        return copy;
    }
}
