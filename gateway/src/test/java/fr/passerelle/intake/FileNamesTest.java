package fr.passerelle.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names shown to people must not lie about what the file is, nor point anywhere on disk. */
class FileNamesTest {

    @Test
    void anOrdinaryAccentedNameIsKept() {
        assertThat(FileNames.check("facture-été 2026 n°12.pdf")).isEmpty();
        assertThat(FileNames.sanitise("facture-été 2026 n°12.pdf")).isEqualTo("facture-été 2026 n°12.pdf");
    }

    @Test
    void aRightToLeftOverrideIsRefusedAndNeverShown() {
        String lying = "facture\u202Elmx.pdf"; // displays as "facturefdp.xml"
        assertThat(FileNames.check(lying)).hasValueSatisfying(r -> {
            assertThat(r.rule()).isEqualTo("INTAKE-FILENAME");
            assertThat(r.message()).contains("U+202E").contains("position 8");
        });
        assertThat(FileNames.sanitise(lying)).isEqualTo("facture_lmx.pdf");
    }

    @Test
    void zeroWidthAndIsolateCharactersAreRefusedToo() {
        for (String name : new String[] {"fac\u200Bture.xml", "\u2067facture.xml", "\uFEFFfacture.xml", "a\u2028b.xml"}) {
            assertThat(FileNames.check(name)).as(name).isPresent();
            assertThat(FileNames.sanitise(name)).as(name).doesNotContain("\u200B", "\u2067", "\uFEFF", "\u2028");
        }
    }

    @Test
    void aDecomposedNameIsShownComposed() {
        String decomposed = "factu\u0301re.xml"; // as some systems write "facturé"
        assertThat(FileNames.normalise("facture\u0301.xml")).isEqualTo("factur\u00e9.xml");
        assertThat(FileNames.check(FileNames.normalise(decomposed))).isEmpty();
    }

    @Test
    void pathsAndControlCharactersAreRefused() {
        assertThat(FileNames.check("../../etc/passwd")).isPresent();
        assertThat(FileNames.check("new\nline.xml")).isPresent();
        assertThat(FileNames.sanitise("new\nline.xml")).isEqualTo("new_line.xml");
    }
}
