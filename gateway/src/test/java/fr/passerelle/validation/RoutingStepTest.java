package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Samples;
import fr.passerelle.tenant.TenantRegistry;

class RoutingStepTest {

    final RoutingStep step = Steps.step(RoutingStep.class);

    @Test
    void withoutCommunesRoutingSaysItWasSkipped() throws Exception {
        InvoiceCheck check = Steps.before(RoutingStep.class, Steps.UBL);
        step.check(check);
        assertThat(check.notes()).contains("routing layer skipped: no commune configured");
        assertThat(check.layersRun()).doesNotContain("routing");
    }

    @Test
    void theBuyerMustBeTheCommuneWithTheReferencesItRequires(@TempDir Path dir) throws Exception {
        TenantRegistry tenants = TenantRegistry.load(Files.writeString(dir.resolve("tenants.yaml"), """
                communes:
                  - id: aubeval
                    name: "Commune d’Aubeval"
                    siret: "21750101400013"
                    idPost: "017001"
                    codCol: "100"
                    codBuds: ["01"]
                    invoices:
                      requireServiceCode: true
                """));
        InvoiceValidator.Options aubeval = new InvoiceValidator.Options(false, tenants, "aubeval");

        InvoiceCheck stranger = Steps.before(RoutingStep.class, Samples.sample("invoices/" + Steps.UBL), aubeval);
        step.check(stranger);
        assertThat(stranger.findings()).extracting(Finding::rule).containsExactly("ROUTING-BUYER");
        assertThat(stranger.layersRun()).endsWith("routing");

        Path ours = Invoices.write(dir, "ours.xml", Invoices.ublFor(Invoices.AUBEVAL_SIRET));
        InvoiceCheck noServiceCode = Steps.before(RoutingStep.class, ours, aubeval);
        step.check(noServiceCode);
        assertThat(noServiceCode.findings()).extracting(Finding::rule).containsExactly("ROUTING-SERVICE-CODE");
    }
}
