package fr.passerelle;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The floors of README's "Layout", read from the compiled imports of the gateway and the documents module:
 * each capability uses only the floors below it, and no two packages need each other.
 */
class FloorsTest {

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the Hélios simulator is on the tests' class path only, as the treasury's stand-in
                .withImportOption(location -> !location.contains("helios-simulator") && !location.contains("/simulator/"))
                .importPackages("fr.passerelle");
        // both modules are read (an empty import would pass every rule)
        assertThat(product.contain(Gateway.class)).isTrue();
        assertThat(product.contain(fr.passerelle.document.Rejection.class)).isTrue();
        assertThat(product.contain("fr.passerelle.treasury.simulator.HeliosSimulator")).isFalse();
    }

    @Test
    void eachFloorUsesOnlyTheFloorsBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("start-up").definedBy("fr.passerelle")
                .layer("console").definedBy("fr.passerelle.console..")
                .layer("api").definedBy("fr.passerelle.api..")
                .layer("ops").definedBy("fr.passerelle.ops..")
                .layer("chorus").definedBy("fr.passerelle.chorus..")
                .layer("treasury").definedBy("fr.passerelle.treasury")
                .layer("signature").definedBy("fr.passerelle.signature..")
                .layer("pes").definedBy("fr.passerelle.pes..")
                .layer("validation").definedBy("fr.passerelle.validation..")
                .layer("intake").definedBy("fr.passerelle.intake..")
                .layer("flow").definedBy("fr.passerelle.flow..")
                .layer("tenant").definedBy("fr.passerelle.tenant..")
                .layer("documents").definedBy("fr.passerelle.xml..", "fr.passerelle.pdf..", "fr.passerelle.document..")
                .layer("settings").definedBy("fr.passerelle.settings..")
                .whereLayer("start-up").mayNotBeAccessedByAnyLayer()
                .whereLayer("console").mayOnlyBeAccessedByLayers("start-up")
                .whereLayer("api").mayOnlyBeAccessedByLayers("start-up", "console")
                .whereLayer("ops").mayOnlyBeAccessedByLayers("start-up", "console", "api")
                .whereLayer("chorus").mayOnlyBeAccessedByLayers("start-up", "console", "api", "ops")
                .whereLayer("treasury").mayOnlyBeAccessedByLayers("start-up", "console", "api", "ops", "chorus")
                .whereLayer("signature").mayOnlyBeAccessedByLayers("start-up", "console", "api", "ops", "chorus", "treasury")
                .whereLayer("pes").mayOnlyBeAccessedByLayers("start-up", "console", "api", "ops", "chorus", "treasury", "signature")
                .whereLayer("validation").mayOnlyBeAccessedByLayers("start-up", "console", "api", "ops", "chorus", "treasury", "signature", "pes")
                .whereLayer("intake").mayOnlyBeAccessedByLayers("start-up", "console", "api", "ops", "chorus", "treasury", "signature", "pes",
                        "validation")
                .whereLayer("flow").mayOnlyBeAccessedByLayers("start-up", "console", "api", "ops", "chorus", "treasury", "signature", "pes",
                        "validation", "intake")
                .whereLayer("tenant").mayOnlyBeAccessedByLayers("start-up", "console", "api", "ops", "chorus", "treasury", "signature", "pes",
                        "validation", "intake", "flow")
                .check(product);
    }

    @Test
    void noTwoPackagesNeedEachOther() {
        slices().matching("fr.passerelle.(*)..").should().beFreeOfCycles().check(product);
    }
}
