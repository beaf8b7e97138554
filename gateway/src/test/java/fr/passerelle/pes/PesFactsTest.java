package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.xml.stream.XMLStreamException;

import org.junit.jupiter.api.Test;

import fr.passerelle.Samples;

class PesFactsTest {

    @Test
    void headerAndBordereauOfPesEx() throws Exception {
        PesFacts facts = PesFacts.read(Samples.sample("pes/PES_ex.xml"));

        assertThat(facts.declaredEncoding()).isEqualTo("ISO-8859-1");
        assertThat(facts.rootName()).isEqualTo("PES_Aller");
        assertThat(facts.typFic().value()).isEqualTo("PESALR2");
        assertThat(facts.nomFic().value()).isEqualTo("SICOVAL201512104");
        assertThat(facts.idPost().value()).isEqualTo("031007");
        assertThat(facts.idColl().value()).isEqualTo("24310063300011");
        assertThat(facts.codCol().value()).isEqualTo("100");
        assertThat(facts.codBud().value()).isEqualTo("00");
        assertThat(facts.bordereaux()).containsExactly(
                new PesFacts.Bordereau("PES_DepenseAller", "SICOVAL120150924160835111", "2015", "2372", false, 1));
        assertThat(facts.pjIdUniques()).isEmpty();
        assertThat(facts.pjRefIdUniques()).isEmpty();
        assertThat(facts.signedWhole()).isFalse();
    }

    @Test
    void signedBordereauPjAndReferencesWithTheirLines() throws Exception {
        var file = Samples.sample("pes/PESALR2_25060187900027_190328_001.xml");
        PesFacts facts = PesFacts.read(file);

        assertThat(facts.nomFic()).isEqualTo(new PesFacts.Value("STELA11", PesSchemasTest.lineOf(file, "<NomFic")));
        assertThat(facts.bordereaux()).singleElement().satisfies(b -> {
            assertThat(b.id()).isEqualTo("N10025");
            assertThat(b.exer()).isEqualTo("2019");
            assertThat(b.idBord()).isEqualTo("11");
            assertThat(b.signed()).isTrue();
        });
        assertThat(facts.pjIdUniques()).extracting(PesFacts.Value::value)
                .containsExactly("21780537300016DEPENSE2016001384", "21780537300016DEPENSE2016001385");
        assertThat(facts.pjRefIdUniques()).extracting(PesFacts.Value::value)
                .containsExactly("21780537300016DEPENSE2016001384", "21780537300016DEPENSE2016001385");
        assertThat(facts.pjRefIdUniques().get(0).line())
                .isEqualTo(PesSchemasTest.lineOf(file, "<IdUnique V=\"21780537300016DEPENSE2016001384\"/>"));
        // mandate 1303 references both PJ: what tells Chorus Pro which invoices it mandates
        assertThat(facts.pieceRefs()).containsExactly(
                new PesFacts.PieceRef("PES_DepenseAller", "1303", "21780537300016DEPENSE2016001384"),
                new PesFacts.PieceRef("PES_DepenseAller", "1303", "21780537300016DEPENSE2016001385"));
    }

    @Test
    void unsignedFlowWithLineReferencesAndUtf8Declaration() throws Exception {
        PesFacts facts = PesFacts.read(Samples.sample("pes/PESALR1_unsigned.xml"));

        assertThat(facts.declaredEncoding()).isEqualTo("UTF-8");
        assertThat(facts.bordereaux()).singleElement().satisfies(b -> assertThat(b.signed()).isFalse());
        assertThat(facts.pjRefIdUniques()).extracting(PesFacts.Value::value).containsExactly(
                "22610001400134DEP061202000202007240615506484QS4HV5",
                "22610001400134DEP0612020002020062306164603181VGFGP",
                "22610001400134DEP061202000202007270615150066TID0PO");
        assertThat(facts.pjIdUniques()).extracting(PesFacts.Value::value)
                .containsExactly("22610001400134DEP061202000202007270615150066TID0PO");
    }

    @Test
    void aMissingNomFicIsNull() throws Exception {
        String flow = "<?xml version=\"1.0\"?><n:PES_Aller xmlns:n=\"" + PesXml.ALLER_NS + "\"><Enveloppe><Parametres>"
                + "<Version V=\"2\"/></Parametres></Enveloppe></n:PES_Aller>";

        PesFacts facts = PesFacts.read(new ByteArrayInputStream(flow.getBytes(StandardCharsets.US_ASCII)));

        assertThat(facts.nomFic()).isNull();
        assertThat(facts.declaredEncoding()).isNull();
    }

    @Test
    void doctypeIsRefused() {
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";

        assertThatThrownBy(() -> PesFacts.read(new ByteArrayInputStream(hostile.getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(XMLStreamException.class);
    }
}
