package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.tenant.TenantRegistry;

/**
 * Today's rule sets on the shared samples: each family judged on a valid file, then on the same
 * file made invalid by one change, the rule id asserted; the versions named in every report; the
 * French rules chosen by the day the invoice was received; a commune's leniency named in the report.
 */
class TodaysRulesTest {

    static final InvoiceValidator VALIDATOR = Steps.VALIDATOR;
    static final String FRENCH_CII = "invoices/fr-ctc/UC1_F202500003_00-INV_20250701_CII_EN16931.xml";
    static final String FRENCH_EXTENDED_UBL = "invoices/fr-ctc/UC12_F202600025_SOUS-LIGNE_UBL_Commentee_EXTENDED.xml";
    static final String CDAR_DEPOSEE = "cdar/UC1_F202500003_01-CDV-200_Deposee.xml";

    @TempDir
    Path dir;

    @Test
    void everyReportNamesTheRuleSetsThatJudgedIt() {
        RuleSets sets = ValidationArtefacts.shared().ruleSets();
        String frenchToday = sets.frenchAt(LocalDate.now(InvoiceCheck.FRANCE)).version();

        JsonNode french = report(Samples.sample(FRENCH_CII), InvoiceValidator.Options.standalone(false));
        assertThat(french.get("verdict").asText()).isEqualTo("accepted");
        assertThat(french.get("rules").get("en16931").asText()).isEqualTo(sets.en16931()).isEqualTo("1.3.16");
        assertThat(french.get("rules").get("fr.ctc").asText()).isEqualTo(frenchToday);

        JsonNode facturX = report(Samples.sample("invoices/" + Steps.BASIC_PDF), InvoiceValidator.Options.standalone(false));
        assertThat(facturX.get("rules").get("facturx").asText()).isEqualTo(ValidationArtefacts.shared().facturXVersion());
        assertThat(facturX.get("rules").get("en16931").asText()).isEqualTo("1.3.16");
        assertThat(facturX.get("rules").has("fr.ctc")).isFalse(); // a German invoice declares nothing French
    }

    @Test
    void theFrenchRulesAreThoseInForceOnTheDayTheInvoiceWasReceived() {
        RuleSets sets = ValidationArtefacts.shared().ruleSets();
        for (RuleSets.French set : sets.french()) {
            JsonNode r = report(Samples.sample(FRENCH_CII), new InvoiceValidator.Options(false, null, null, set.inForce()));
            assertThat(r.get("rules").get("fr.ctc").asText()).as(set.inForce().toString()).isEqualTo(set.version());
            assertThat(r.get("verdict").asText()).as(set.version()).isEqualTo("accepted");
        }
    }

    @Test
    void aCommuneMayHaveEveryInvoiceJudgedByTheFrenchRules() throws Exception {
        Path foreign = Samples.sample("invoices/" + Steps.CII);
        assertThat(report(foreign, InvoiceValidator.Options.standalone(false)).get("rules").has("fr.ctc")).isFalse();
        TenantRegistry all = aubevalWhoseInvoices("""
                      frenchRules: all
                """);
        JsonNode judged = report(foreign, new InvoiceValidator.Options(true, all, "aubeval"));
        assertThat(judged.get("rules").has("fr.ctc")).isTrue();
        assertThat(judged.get("findings").findValuesAsText("rule")).anyMatch(r -> r.startsWith("BR-FR"));
    }

    @Test
    void aFatalFrenchRuleRejectsWithItsFrenchMessage() throws Exception {
        // B8: a multi-vendor invoice, whose lines must then carry their sub-line types
        Path multiVendor = mutate(FRENCH_CII, "<ram:ID>S1</ram:ID>", "<ram:ID>B8</ram:ID>");
        JsonNode r = report(multiVendor, InvoiceValidator.Options.standalone(false));
        assertThat(r.get("verdict").asText()).isEqualTo("rejected");
        JsonNode first = errors(r).get(0);
        assertThat(first.get("rule").asText()).isEqualTo("BR-FR-MV-02_EXT-FR-FE-163");
        assertThat(first.get("layer").asText()).isEqualTo("profile");
        assertThat(first.get("location").asText()).startsWith("/rsm:CrossIndustryInvoice[1]/rsm:SupplyChainTradeTransaction");
        assertThat(first.get("message").asText()).contains("cadre de facturation (BT-23)");
    }

    @Test
    void aFrenchExtensionIsJudgedByTheExtendedCtcFrRulesNotByTheCoreOnes() throws Exception {
        JsonNode ok = report(Samples.sample(FRENCH_EXTENDED_UBL), InvoiceValidator.Options.standalone(false));
        assertThat(ok.get("verdict").asText()).as(ok.toString()).isEqualTo("accepted");
        assertThat(ok.get("notes").toString()).contains("EXTENDED-CTC-FR rules");
        assertThat(ok.get("rules").has("en16931")).isFalse();

        Path noNumber = mutate(FRENCH_EXTENDED_UBL, "<cbc:ID>F202600025</cbc:ID>", "<cbc:ID></cbc:ID>");
        JsonNode refused = report(noNumber, InvoiceValidator.Options.standalone(false));
        assertThat(refused.get("verdict").asText()).isEqualTo("rejected");
        assertThat(errors(refused).findValuesAsText("rule")).isNotEmpty();
    }

    @Test
    void theCenCiiBindingRejectsWhatItDoesNotUseUnlessTheCommuneRelaxesIt() throws Exception {
        Path withSchemeName = mutate("invoices/" + Steps.CII, "<ram:ID>12115118</ram:ID>",
                "<ram:ID schemeName=\"interne\">12115118</ram:ID>");
        JsonNode strict = report(withSchemeName, InvoiceValidator.Options.standalone(false));
        assertThat(strict.get("verdict").asText()).isEqualTo("rejected");
        assertThat(errors(strict).get(0).get("rule").asText()).isEqualTo("CII-DT-001");
        assertThat(strict.has("relaxed")).isFalse();

        TenantRegistry lenient = tenants("[CII-DT-*]");
        JsonNode relaxed = report(withSchemeName, new InvoiceValidator.Options(false, lenient, "aubeval"));
        // the commune is not this invoice's buyer: routing still refuses it, the relaxed rule no longer does
        assertThat(errors(relaxed).findValuesAsText("rule")).doesNotContain("CII-DT-001")
                .allMatch(r -> r.startsWith("ROUTING"));
        JsonNode relaxation = relaxed.get("relaxed").get(0);
        assertThat(relaxation.get("rule").asText()).isEqualTo("CII-DT-001");
        assertThat(relaxation.get("policyRule").asText()).isEqualTo("CII-DT-*");
        assertThat(relaxation.get("by").asText()).isEqualTo("Service des finances, décision du 12 novembre 2026");
        assertThat(relaxation.get("commune").asText()).isEqualTo("aubeval");
    }

    @Test
    void facturXDataItsProfileDoesNotUseIsAnErrorByDefault() throws Exception {
        Path minimum = Samples.sample("invoices/" + Steps.MINIMUM_PDF);
        JsonNode strict = report(minimum, InvoiceValidator.Options.standalone(false));
        assertThat(strict.get("verdict").asText()).isEqualTo("rejected");
        assertThat(errors(strict).findValuesAsText("rule")).containsOnly("FX-NOT-USED");

        JsonNode relaxed = report(minimum, new InvoiceValidator.Options(false, tenants("[FX-NOT-USED]"), "aubeval"));
        assertThat(errors(relaxed).findValuesAsText("rule")).allMatch(r -> r.startsWith("ROUTING"));
        assertThat(relaxed.get("relaxed").get(0).get("findings").asInt())
                .isEqualTo(strict.get("counts").get("error").asInt());
        assertThat(relaxed.get("findings").findValuesAsText("message"))
                .anyMatch(m -> m.contains("Règle assouplie par la commune"));
    }

    @Test
    void aLifecycleStatusMessageIsJudgedByItsSchemaAndTheBrFrCdvRules() throws Exception {
        JsonNode ok = report(Samples.sample(CDAR_DEPOSEE), InvoiceValidator.Options.standalone(false));
        assertThat(ok.get("verdict").asText()).isEqualTo("accepted");
        assertThat(ok.get("format").asText()).isEqualTo("CDAR");
        assertThat(ok.get("layers").toString()).contains("schema", "profile");
        assertThat(ok.get("rules").has("fr.ctc")).isTrue();

        JsonNode badProfile = report(mutate(CDAR_DEPOSEE, "urn.cpro.gouv.fr:1p0:CDV:invoice", "urn.cpro.gouv.fr:1p0:CDV:autre"),
                InvoiceValidator.Options.standalone(false));
        assertThat(badProfile.get("findings").findValuesAsText("rule")).contains("BR-FR-CDV-02_MDT-3");

        JsonNode badSchema = report(mutate(CDAR_DEPOSEE, "<rsm:ExchangedDocument>",
                "<rsm:ExchangedDocument><ram:Inconnu>1</ram:Inconnu>"), InvoiceValidator.Options.standalone(false));
        assertThat(badSchema.get("verdict").asText()).isEqualTo("rejected");
        assertThat(errors(badSchema).get(0).get("layer").asText()).isEqualTo("schema");
    }

    private TenantRegistry tenants(String relaxedRules) throws Exception {
        return aubevalWhoseInvoices("""
                      relax:
                        rules: %s
                        by: "Service des finances, décision du 12 novembre 2026"
                """.formatted(relaxedRules));
    }

    /** The commune aubeval with this invoice policy (the lines under "invoices:"). */
    private TenantRegistry aubevalWhoseInvoices(String policy) throws Exception {
        return TenantRegistry.load(Files.writeString(dir.resolve("tenants-" + policy.hashCode() + ".yaml"), """
                communes:
                  - id: aubeval
                    name: "Commune d’Aubeval"
                    siret: "21750101400013"
                    idPost: "017001"
                    codCol: "100"
                    codBuds: ["01"]
                    invoices:
                """ + policy));
    }

    private Path mutate(String sample, String from, String to) throws Exception {
        String xml = Files.readString(Samples.sample(sample), StandardCharsets.UTF_8);
        assertThat(xml).as(sample).contains(from);
        return Files.writeString(dir.resolve("mutated-" + Path.of(sample).getFileName()), xml.replaceFirst(
                java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)), StandardCharsets.UTF_8);
    }

    private static JsonNode report(Path file, InvoiceValidator.Options options) {
        return Json.parse(ReportJson.toJson(VALIDATOR.validate(file, file.getFileName().toString(), options)));
    }

    private static JsonNode errors(JsonNode report) {
        com.fasterxml.jackson.databind.node.ArrayNode errors = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .arrayNode();
        report.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals("error")) {
                errors.add(f);
            }
        });
        return errors;
    }
}
