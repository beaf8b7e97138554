package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValidationArtefactsTest {

    @Test
    void everySchemaAndSchematronCompiles() {
        ValidationArtefacts artefacts = ValidationArtefacts.load();
        System.out.println("artefacts loaded in " + artefacts.loadMillis() + " ms");
        for (FacturXProfile p : FacturXProfile.values()) {
            assertThat(artefacts.profileRules(p)).as(p.name()).isNotNull();
            assertThat(artefacts.profileSchema(p)).as(p.name()).isNotNull();
        }
        assertThat(artefacts.cenUbl()).isNotNull();
        assertThat(artefacts.cenCii()).isNotNull();
        FrenchRules.Compiled french = artefacts.french(java.time.LocalDate.now());
        assertThat(french.cii()).isNotNull();
        assertThat(french.ubl()).isNotNull();
        assertThat(french.cdar()).isNotNull();
        assertThat(artefacts.facturXVersion()).matches("\\d+\\.[\\d.-]+");
        assertThat(artefacts.ublInvoice()).isNotNull();
        assertThat(artefacts.cii()).isNotNull();
    }
}
