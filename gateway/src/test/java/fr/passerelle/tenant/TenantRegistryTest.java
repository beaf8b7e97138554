package fr.passerelle.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class TenantRegistryTest {

    private static final String KEY = ApiKeys.hash("secret-key-1");

    private static TenantRegistry parse(String yaml) {
        return TenantRegistry.parse(new StringReader(yaml), "tenants.yaml");
    }

    private static String commune(String id, String siret, String extra) {
        return "  - id: " + id + "\n"
                + "    name: Commune " + id + "\n"
                + "    siret: \"" + siret + "\"\n"
                + "    idPost: \"017001\"\n"
                + "    codCol: \"123\"\n"
                + "    codBuds: [\"01\"]\n"
                + extra;
    }

    @Test
    void theShippedDemoSetHasNineteenValidCommunes() {
        TenantRegistry demo = TenantRegistry.load(Path.of("config/tenants.yaml"));
        assertThat(demo.communes()).hasSize(19);
        assertThat(demo.communes()).allSatisfy(c -> {
            assertThat(Siret.isValidSiret(c.siret())).isTrue();
            assertThat(c.siret()).startsWith(c.siren());
            assertThat(c.apiKeyHashes()).isNotEmpty();
        });
        assertThat(demo.communeForApiKey("demo-key-aubeval")).get().extracting(Commune::id).isEqualTo("aubeval");
        assertThat(demo.operatorForApiKey("demo-ops-key")).contains("ops");
    }

    @Test
    void findsTheCommuneFromABuyerSiretOrSiren() {
        TenantRegistry r = parse("communes:\n" + commune("ca", "21750101400013", "") + commune("cb", "21750108900015", ""));
        assertThat(r.communeForBuyer(List.of("21750108900015"))).get().extracting(Commune::id).isEqualTo("cb");
        assertThat(r.communeForBuyer(List.of("217501014"))).get().extracting(Commune::id).isEqualTo("ca");
        assertThat(r.communeForBuyer(List.of("987654321"))).isEmpty();
    }

    @Test
    void aSirenSharedByTwoCommunesIsNotEnoughToRoute() {
        TenantRegistry r = parse("communes:\n" + commune("ca", "21750101400013", "") + commune("cb", "21750101400021", ""));
        assertThat(r.communeForBuyer(List.of("217501014"))).isEmpty();
    }

    @Test
    void aWrongSiretStopsWithItsLine() {
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400014", "")))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining("tenants.yaml:4:")
                .hasMessageContaining("SIRET '21750101400014'");
    }

    @Test
    void aClearApiKeyIsRefusedWithItsLine() {
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013",
                "    apiKeys:\n      - my-clear-key\n")))
                .hasMessageContaining("tenants.yaml:9:")
                .hasMessageContaining("stored hashed");
    }

    @Test
    void aTypoInAKeyIsRefusedWithItsLine() {
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", "    idpost: \"1\"\n")))
                .hasMessageContaining("tenants.yaml:8:")
                .hasMessageContaining("unknown key 'idpost'");
    }

    @Test
    void sameKeyForTwoCommunesIsRefused() {
        String keys = "    apiKeys:\n      - " + KEY + "\n";
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", keys)
                + commune("cb", "21750108900015", keys)))
                .hasMessageContaining("already given");
    }

    @Test
    void badIdentifiersOfTheTreasuryAreNamed() {
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", "").replace("\"123\"", "\"12\"")))
                .hasMessageContaining("tenants.yaml:6:").hasMessageContaining("CodCol");
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", "").replace("\"017001\"", "\"17\"")))
                .hasMessageContaining("tenants.yaml:5:").hasMessageContaining("IdPost");
    }

    @Test
    void aCommuneMayJudgeEveryInvoiceByTheFrenchRulesAndRelaxRulesSayingWhoDecided() {
        TenantRegistry tenants = parse("communes:\n" + commune("ca", "21750101400013", """
                    invoices:
                      frenchRules: all
                      relax:
                        rules: [CII-DT-*, FX-NOT-USED]
                        by: "Le maire, arrêté 2026-118"
                """));
        InvoicePolicy policy = tenants.commune("ca").orElseThrow().invoicePolicy();
        assertThat(policy.frenchRulesForAll()).isTrue();
        assertThat(policy.leniency().by()).isEqualTo("Le maire, arrêté 2026-118");
        assertThat(policy.leniency().relaxing("CII-DT-013")).isEqualTo("CII-DT-*");
        assertThat(policy.leniency().relaxing("FX-NOT-USED")).isEqualTo("FX-NOT-USED");
        assertThat(policy.leniency().relaxing("BR-CO-15")).isNull();
        assertThat(InvoicePolicy.DEFAULT.leniency().relaxing("CII-DT-013")).isNull();
    }

    @Test
    void aLeniencyWithoutItsAuthorOrWithABadRuleIsRefusedWithItsLine() {
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", """
                    invoices:
                      relax:
                        rules: [CII-DT-*]
                """))).hasMessageContaining("tenants.yaml:").hasMessageContaining("missing 'by'");
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", """
                    invoices:
                      relax:
                        rules: ["BR CO 15"]
                        by: moi
                """))).hasMessageContaining("tenants.yaml:10:").hasMessageContaining("not a rule id");
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", """
                    invoices:
                      frenchRules: sometimes
                """))).hasMessageContaining("'frenchRules' is 'sometimes'");
    }

    @Test
    void aChorusProAccountNeedsItsStructureAndPasswordAndNeverShowsThePassword() {
        TenantRegistry tenants = parse("communes:\n" + commune("ca", "21750101400013", """
                    chorusPro:
                      structureId: 25784152
                      login: TECH_ca
                      password: s3cret-of-ca
                      onRejected: SUSPENDUE
                """));
        ChorusProAccount account = tenants.commune("ca").orElseThrow().chorusPro();
        assertThat(account.structureId()).isEqualTo(25784152L);
        assertThat(account.onRejected()).isEqualTo("SUSPENDUE");
        assertThat(account.toString()).doesNotContain("s3cret-of-ca");
        assertThat(parse("communes:\n" + commune("cb", "21750101400013", "")).commune("cb").orElseThrow().chorusPro())
                .isNull();
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", """
                    chorusPro:
                      structureId: 25784152
                      login: TECH_ca
                """))).hasMessageContaining("PASSERELLE_CHORUS_PASSWORD_CA");
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", """
                    chorusPro:
                      structureId: abc
                      login: TECH_ca
                      password: x
                """))).hasMessageContaining("tenants.yaml:9:").hasMessageContaining("structure id");
        assertThatThrownBy(() -> parse("communes:\n" + commune("ca", "21750101400013", """
                    chorusPro:
                      structureId: 1
                      login: TECH_ca
                      password: x
                      onRejected: MANDATEE
                """))).hasMessageContaining("REJETEE or SUSPENDUE");
    }

    @Test
    void brokenYamlIsReportedWithItsLine() {
        assertThatThrownBy(() -> parse("communes:\n  - id: a\n    name: [unclosed\n"))
                .isInstanceOf(TenantConfigException.class).hasMessageContaining("tenants.yaml:");
    }
}
