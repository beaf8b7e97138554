package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;

import org.junit.jupiter.api.Test;

import fr.passerelle.Invoices;

class PieceIndexTest {

    @Test
    void readsTheHeaderOfTheSiteCommandsAndEveryPieceInOnePass() throws Exception {
        byte[] pes = Invoices.pesAllerFor("017001", Invoices.AUBEVAL_SIRET, "100", "01", "MANDATS");
        PieceIndex.Contents contents = PieceIndex.read(new ByteArrayInputStream(pes));
        assertThat(contents.idPost()).isEqualTo("017001");
        assertThat(contents.codCol()).isEqualTo("100");
        assertThat(contents.codBud()).isEqualTo("01");
        assertThat(contents.pieces()).containsExactly(
                new PieceIndex.Piece(PieceState.DEPENSE, "2015", "2372", "6623", java.util.List.of()));
    }

    @Test
    void keepsThePjEachPieceReferences() throws Exception {
        String pes = new String(Invoices.pesAllerFor("017001", Invoices.AUBEVAL_SIRET, "100", "01", "MANDATS"),
                java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("</InfoPce>", "</InfoPce><PJRef><Support V=\"01\"/><IdUnique V=\"217501014PSL000000000007\"/>"
                        + "<NomPJ V=\"f.xml\"/></PJRef>");
        PieceIndex.Contents contents = PieceIndex.read(new ByteArrayInputStream(
                pes.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertThat(contents.pieces()).singleElement()
                .satisfies(p -> assertThat(p.pjRefs()).containsExactly("217501014PSL000000000007"));
    }
}
