package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.passerelle.tenant.Commune;

class PesNamesTest {

    @Test
    void nomFicFollowsTheFileNameConvention() {
        assertThat(PesNames.nomFic("25060187900027", LocalDate.of(2019, 3, 28), 1)).isEqualTo("PESALR2_25060187900027_190328_001");
        assertThat(PesNames.nomFic("250601879", LocalDate.of(2019, 3, 28), 1234)).isEqualTo("PESALR2_250601879_190328_1234");
        assertThat(PesNames.fileName("PESALR2_25060187900027_190328_001")).isEqualTo("PESALR2_25060187900027_190328_001.xml");
        assertThatThrownBy(() -> PesNames.nomFic("2506", LocalDate.now(), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PesNames.nomFic("250601879", LocalDate.now(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idUniqueIsAlphanumericAndFitsFiftyCharacters() {
        String largest = PesNames.idUnique("213500010", 999_999_999_999L);

        assertThat(PesNames.idUnique("213500010", 42)).isEqualTo("213500010PSL000000000042");
        assertThat(largest).hasSizeLessThanOrEqualTo(50);
        assertThat(PesNames.isValidIdUnique(largest)).isTrue();
        assertThat(PesNames.isValidIdUnique("213500010-42")).isFalse(); // the schema forbids "-"
        assertThat(PesNames.isValidIdUnique("000")).isFalse();
        assertThatThrownBy(() -> PesNames.idUnique("213500010", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nomPjFromWhateverTheSupplierNamedTheFile() {
        assertThat(PesNames.nomPj("Facture_FR_BASICWL.pdf", "pdf")).isEqualTo("Facture_FR_BASICWL.pdf");
        assertThat(PesNames.nomPj("C:\\Users\\compta\\facture mars\n2026.PDF", "pdf")).isEqualTo("facture mars 2026.PDF");
        assertThat(PesNames.nomPj("facture", "xml")).isEqualTo("facture.xml");
        assertThat(PesNames.nomPj("archive.tar.gzipped", "pdf")).isEqualTo("archive.tar.gzipped.pdf");
        assertThat(PesNames.nomPj(null, "pdf")).isEqualTo("piece.pdf");
        String longName = PesNames.nomPj("x".repeat(300) + ".pdf", "xml");
        assertThat(longName).hasSize(100).endsWith(".pdf");
        for (String name : List.of("Facture_FR_BASICWL.pdf", "facture", longName, "a.b")) {
            String nomPj = PesNames.nomPj(name, "pdf");
            assertThat(new PjInput("A1", nomPj, null, "d", "application/pdf", java.io.InputStream::nullInputStream, 0).nomPj())
                    .isEqualTo(nomPj);
        }
    }

    @Test
    void headerForACommuneOnOneOfItsBudgets() {
        Commune commune = Communes.commune("aubeval", "Commune d'Aubeval-sur-Rivière-et-les-Coteaux-du-Levant",
                "21170001500017", "017001", "100", List.of("01", "02"));

        PesHeader header = PesHeader.forCommune(commune, "02", LocalDate.of(2026, 11, 22));

        assertThat(header).isEqualTo(new PesHeader("017001", "21170001500017", "100", "02",
                "Commune d'Aubeval-sur-Rivière-et-les-C", LocalDate.of(2026, 11, 22)));
        assertThat(header.libelleColBud()).hasSize(38);
        assertThatThrownBy(() -> PesHeader.forCommune(commune, "00", LocalDate.now()))
                .hasMessageStartingWith("CodBud").hasMessageContaining("Aubeval");
    }

    @Test
    void headerOutsideTheSchemaIsRefusedNamingTheElement() {
        assertThatThrownBy(() -> new PesHeader("17001", "21170001500017", "100", "01", null, LocalDate.now()))
                .hasMessageStartingWith("IdPost");
        assertThatThrownBy(() -> new PesHeader("017001", "211700015", "100", "01", null, LocalDate.now()))
                .hasMessageStartingWith("IdColl");
        assertThatThrownBy(() -> new PesHeader("017001", "21170001500017", "10", "01", null, LocalDate.now()))
                .hasMessageStartingWith("CodCol");
        assertThatThrownBy(() -> new PesHeader("017001", "21170001500017", "100", "1", null, LocalDate.now()))
                .hasMessageStartingWith("CodBud");
        assertThat(new PesHeader("02A1234", "21170001500017", "100", "A1", "  ", LocalDate.now()).libelleColBud()).isNull();
    }
}
