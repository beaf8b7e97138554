package fr.passerelle.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SiretTest {

    @Test
    void acceptsRealPublicIdentifiers() {
        // SIREN of the Ville de Paris and a SIRET of the DGFiP sample's commune
        assertThat(Siret.isValidSiren("217500016")).isTrue();
        assertThat(Siret.isValidSiret("25060187900027")).isTrue();
    }

    @Test
    void refusesWrongCheckDigitsAndLengths() {
        assertThat(Siret.isValidSiren("217500017")).isFalse();
        assertThat(Siret.isValidSiret("25060187900028")).isFalse();
        assertThat(Siret.isValidSiret("2506018790002")).isFalse();
        assertThat(Siret.isValidSiret("2506018790002A")).isFalse();
    }

    @Test
    void normalisesTheWaysPeopleWriteThem() {
        assertThat(Siret.normalise("250 601 879 00027")).isEqualTo("25060187900027");
        assertThat(Siret.normalise("250.601.879")).isEqualTo("250601879");
    }
}
