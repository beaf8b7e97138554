package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.passerelle.Json;
import fr.passerelle.Samples;

/**
 * Every invoice of samples/invoices through the command-line path (validate --json),
 * with the verdicts SOURCES.md states and the rule ids that fire on the invalid ones.
 */
class SampleInvoicesTest {

    static Map<String, JsonNode> reports = new HashMap<>();
    static int exitCode;

    @BeforeAll
    static void validateEverySample() throws Exception {
        List<String> args = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Samples.sample("invoices"))) {
            files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".md")).sorted()
                    .forEach(f -> args.add(f.toString()));
        }
        args.add("--json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exitCode = ValidateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode report = Json.parse(line);
            reports.put(Path.of(report.get("file").asText()).getFileName().toString(), report);
        }
        assertThat(reports).hasSize(args.size() - 1);
    }

    @Test
    void everyValidSampleIsAcceptedAndCompletelyProcessed() {
        List<String> valid = List.of("CII_business_example_01.xml", "CII_example1.xml", "CII_example2.xml",
                "guide-example1.xml", "ubl-tc434-creditnote1.xml", "ubl-tc434-example1.xml", "ubl-tc434-example2.xml",
                "zugferd_2p0_EN16931_Einfach.pdf", "zugferd_2p0_EXTENDED_Warenrechnung.pdf", "zugferd_2p1_BASIC_Einfach.pdf",
                "UC1_F202500003_00-INV_20250701_CII_EN16931.xml", "UC12_F202600025_SOUS-LIGNE_CII_Commentee_EXTENDED.xml",
                "UC12_F202600025_SOUS-LIGNE_UBL_Commentee_EXTENDED.xml");
        for (String name : valid) {
            JsonNode r = reports.get(name);
            assertThat(r.get("processing").asText()).as(name).isEqualTo("completed");
            assertThat(r.get("verdict").asText()).as(name + ": " + r.get("findings")).startsWith("accepted");
            for (JsonNode f : r.get("findings")) {
                assertThat(f.get("severity").asText()).as(name + " " + f).isNotEqualTo("error");
            }
        }
    }

    @Test
    void fullInvoicesAreAcceptedWithoutWarningAndTheFactur_X_1_0_MinimumProfilesAreRejectedUnderToday_sRules() {
        for (String name : List.of("ubl-tc434-example1.xml", "CII_example1.xml", "zugferd_2p1_BASIC_Einfach.pdf")) {
            assertThat(reports.get(name).get("verdict").asText()).as(name).isEqualTo("accepted");
        }
        // valid under Factur-X 1.0 (2017), when they were published; Factur-X 1.09.2 and CEN reject the
        // currencyID and buyer data these profiles do not carry (FX-NOT-USED), as phive does
        for (String name : List.of("Facture_FR_MINIMUM.pdf", "Facture_FR_BASICWL.pdf")) {
            JsonNode r = reports.get(name);
            assertThat(r.get("verdict").asText()).isEqualTo("rejected");
            assertThat(rules(r, "warning")).contains("FX-NOT-EN16931");
            assertThat(rules(r, "error")).containsOnly("FX-NOT-USED");
        }
    }

    @Test
    void formatsProfilesAndSummariesAreReported() {
        JsonNode basic = reports.get("zugferd_2p1_BASIC_Einfach.pdf");
        assertThat(basic.get("format").asText()).isEqualTo("FACTURX_PDF");
        assertThat(basic.get("profile").asText()).isEqualTo("BASIC");
        assertThat(reports.get("Facture_FR_MINIMUM.pdf").get("profile").asText()).isEqualTo("MINIMUM");
        assertThat(reports.get("Facture_FR_BASICWL.pdf").get("profile").asText()).isEqualTo("BASIC WL");
        assertThat(reports.get("zugferd_2p0_EXTENDED_Warenrechnung.pdf").get("profile").asText()).isEqualTo("EXTENDED");
        assertThat(reports.get("ubl-tc434-creditnote1.xml").get("format").asText()).isEqualTo("UBL_CREDITNOTE");

        JsonNode ubl = reports.get("ubl-tc434-example1.xml");
        JsonNode summary = ubl.get("summary");
        assertThat(summary.get("number").asText()).isNotBlank();
        assertThat(summary.get("issueDate").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(summary.get("typeCode").asText()).isEqualTo("380");
        assertThat(summary.get("payableAmount").asText()).isEqualTo("250.33");
        assertThat(summary.get("currency").asText()).isEqualTo("EUR");
        assertThat(summary.get("buyerName").asText()).isEqualTo("ODIN 59");
        assertThat(reports.get("CII_example1.xml").get("summary").get("payableAmount").asText()).isEqualTo("250.33");
        // without communes the routing layer is not run, and the report says so
        assertThat(ubl.get("layers").toString()).doesNotContain("routing");
        assertThat(ubl.get("notes").toString()).contains("routing layer skipped");
    }

    @Test
    void theAttachmentWithAnUnusableEncodingIsRejectedByTheXmlLayer() {
        JsonNode r = reports.get("factur-x-invalid-xml-encoding-attribute.pdf");
        assertThat(r.get("processing").asText()).isEqualTo("completed");
        assertThat(r.get("verdict").asText()).isEqualTo("rejected");
        JsonNode first = r.get("findings").get(0);
        assertThat(first.get("layer").asText()).isEqualTo("xml");
        assertThat(first.get("rule").asText()).isEqualTo("XML-ENCODING");
        assertThat(first.get("location").asText()).isEqualTo("ligne 1, colonne 47");
        assertThat(first.get("message").asText()).contains("UTF-8-W/O-BOM");
    }

    @Test
    void thePythonFacturXIsRejectedForItsPdfAContainerAndTheLayersAfterItDoNotRun() {
        JsonNode r = reports.get("python-factur-x.pdf");
        assertThat(r.get("verdict").asText()).isEqualTo("rejected");
        assertThat(rules(r, "error")).contains("PDF/A-3B 6.1.3-1", "PDF/A-3B 6.6.2.1-1", "PDF/A-3B 6.8-4");
        for (JsonNode f : r.get("findings")) {
            assertThat(f.get("layer").asText()).isEqualTo("container");
            assertThat(f.get("message").asText()).contains("PDF/A-3");
            assertThat(f.get("text").asText()).isNotBlank();
        }
        assertThat(r.get("layers").toString()).doesNotContain("schema");
    }

    @Test
    void withAllLayersThePythonFacturXShowsEveryProblemAtOnce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = ValidateCommand.run(List.of(Samples.sample("invoices/facturx/invalid/python-factur-x.pdf").toString(),
                "--json", "--all-layers"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        JsonNode r = Json.parse(out.toString(StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(ValidateCommand.REJECTED);
        assertThat(rules(r, "error")).contains("PDF/A-3B 6.1.3-1", "cvc-complex-type.2.4.d", "FX-SCH-A-000493");
        assertThat(r.get("layers").toString()).contains("container", "xml", "schema", "profile");
    }

    @Test
    void theExitCodeSaysThatSomethingWasRejected() {
        assertThat(exitCode).isEqualTo(ValidateCommand.REJECTED);
    }

    static List<String> rules(JsonNode report, String severity) {
        List<String> rules = new ArrayList<>();
        for (JsonNode f : report.get("findings")) {
            if (f.get("severity").asText().equals(severity)) {
                rules.add(f.get("rule").asText());
            }
        }
        return rules;
    }
}
