package fr.passerelle.chorus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;
import fr.passerelle.chorus.simulator.ChorusProSimulator;
import fr.passerelle.chorus.simulator.Misbehaviour;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowQuery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.intake.Submission;

/**
 * The chorus-pro channel against the Chorus Pro simulator, over real HTTP, with the real gateway:
 * aubeval's invoices pulled once each (across a restart), judged like any, and what became of them
 * told back to Chorus Pro — a refusal with its French reason, an acknowledgement by the treasury.
 */
class ChorusProExchangeTest {

    /** aubeval's structure on Chorus Pro, as the shipped config/tenants.yaml says. */
    static final long AUBEVAL = 25784152L;

    @TempDir
    Path data;

    ChorusProSimulator chorus;

    @BeforeEach
    void startChorusPro() throws Exception {
        chorus = new ChorusProSimulator(ChorusProSimulator.Options.defaults()).start();
    }

    @AfterEach
    void stopChorusPro() {
        chorus.close();
    }

    Map<String, String> chorusAtTestPace() {
        Map<String, String> o = new HashMap<>(atTestPace(chorus));
        o.put("passerelle.pes.batch.max-wait", "PT0S");
        o.put("passerelle.pes.pack-period", "200");
        return o;
    }

    /** The gateway pulling from that Chorus Pro, two invoices a page, polling and pushing several times a second. */
    static Map<String, String> atTestPace(ChorusProSimulator chorus) {
        Map<String, String> o = new HashMap<>();
        o.put("passerelle.chorus.enabled", "true");
        o.put("passerelle.chorus.token-uri", chorus.tokenUri().toString());
        o.put("passerelle.chorus.api-uri", chorus.apiUri().toString());
        o.put("passerelle.chorus.poll-delay", "200");
        o.put("passerelle.chorus.push-delay", "200");
        o.put("passerelle.chorus.retry-delay", "PT0.2S");
        o.put("passerelle.chorus.max-retry-delay", "PT1S");
        o.put("passerelle.chorus.page-size", "2");
        return o;
    }

    @Test
    void invoicesArePulledOnceJudgedAndWhatBecameOfThemIsToldBack() throws Exception {
        byte[] ours = Invoices.ublFor(Invoices.AUBEVAL_SIRET).getBytes(StandardCharsets.UTF_8);
        byte[] elsewhere = Files.readAllBytes(Samples.sample("invoices/ubl/ubl-tc434-example1.xml"));
        long accepted = chorus.deposit(AUBEVAL, "AUBEVAL", "F-2026-001", "F-2026-001.xml", ours, new BigDecimal("250.33"));
        long refused = chorus.deposit(AUBEVAL, "AUBEVAL", "F-2026-002", "F-2026-002.xml", elsewhere, BigDecimal.TEN);
        // with pages of two, the third invoice is on the second page
        long third = chorus.deposit(AUBEVAL, "AUBEVAL", "F-2026-003", "F-2026-003.xml",
                Invoices.ciiFor(Invoices.AUBEVAL_SIRET).getBytes(StandardCharsets.UTF_8), BigDecimal.ONE);
        chorus.misbehave(Misbehaviour.RATE_LIMITED, 1); // the first search waits its Retry-After, then goes on

        try (TestGateway gw = TestGateway.start(data, chorusAtTestPace())) {
            ChorusLedger ledger = gw.gateway.chorusLedger();
            await().atMost(Duration.ofSeconds(60)).until(() -> List.of(accepted, refused, third).stream()
                    .allMatch(ledger::known));
            Flow refusedFlow = flowOf(gw, refused);
            assertThat(refusedFlow.channel()).isEqualTo(Submission.CHORUS_PRO);
            assertThat(refusedFlow.communeId()).isEqualTo("aubeval");

            // refused by validation (another buyer): REJETEE, with the first error's French message as motif
            await().atMost(Duration.ofSeconds(60)).until(() -> "REJETEE".equals(chorus.status(refused)));
            String motif = chorus.history(refused).get(chorus.history(refused).size() - 1).motif();
            assertThat(motif).startsWith("[ROUTING-BUYER]").contains("acheteur").hasSizeLessThanOrEqualTo(255);

            // packed, signed, sent and acknowledged by the treasury: MISE_A_DISPOSITION_COMPTABLE
            await().atMost(Duration.ofSeconds(90)).until(() -> "MISE_A_DISPOSITION_COMPTABLE".equals(
                    chorus.status(accepted)));
            assertThat(flowOf(gw, accepted).status()).isEqualTo(FlowStatus.ACKNOWLEDGED);

            // the commune's accounting software mandates it: its PES_Aller, relayed, references the invoice's PJ
            // in mandate 6623; once the treasury acknowledges that flow, MANDATEE with the mandate's number
            String idUnique = Json.parse(gw.get("demo-key-aubeval", "/api/v1/flows/" + flowOf(gw, accepted).id())
                    .body()).get("pes").get("idUnique").asText();
            byte[] mandate = new String(Invoices.pesAllerFor("017001", Invoices.AUBEVAL_SIRET, "100", "01", "MANDAT6623"),
                    StandardCharsets.ISO_8859_1).replace("<Obj V=\"EA 102 FACT 15-08-0764\"/>",
                    "<Obj V=\"EA 102 FACT 15-08-0764\"/><PJRef><Support V=\"01\"/><IdUnique V=\"" + idUnique
                            + "\"/><NomPJ V=\"F-2026-001.xml\"/></PJRef>").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(gw.post("demo-key-aubeval", "PES_mandats.xml", mandate).statusCode()).isIn(200, 201);
            await().atMost(Duration.ofSeconds(90)).until(() -> "MANDATEE".equals(chorus.status(accepted)));
            assertThat(chorus.history(accepted)).filteredOn(c -> c.statut().equals("MANDATEE"))
                    .extracting(ChorusProSimulator.StatusChange::numeroDPMandat).containsExactly("6623");

            // the treasury's PES_Retour then says mandate 6623 of bordereau 2372 is paid (soldé): MISE_EN_PAIEMENT
            String retour = Files.readString(Samples.sample("pes/PES_Retour_depense.xml"), StandardCharsets.ISO_8859_1)
                    .replace("<IdPost V=\"082008\"/>", "<IdPost V=\"017001\"/>")
                    .replace("<IdColl V=\"12345678900012\"/>", "<IdColl V=\"" + Invoices.AUBEVAL_SIRET + "\"/>")
                    .replace("<CodColl V=\"221\"/>", "<CodColl V=\"100\"/>")
                    .replace("<Exer V=\"2009\"/>", "<Exer V=\"2015\"/>")
                    .replace("<IdBord V=\"1234567\"/>", "<IdBord V=\"2372\"/>")
                    .replace("<IdPce V=\"832\"/>", "<IdPce V=\"6623\"/>")
                    .replace("<EtatPce V=\"01\"/>", "<EtatPce V=\"05\"/>");
            gw.simulator().writeRetour("PES2R_017001_" + System.nanoTime() + ".xml",
                    retour.getBytes(StandardCharsets.ISO_8859_1));
            await().atMost(Duration.ofSeconds(60)).until(() -> "MISE_EN_PAIEMENT".equals(chorus.status(accepted)));
            assertThat(chorus.history(accepted)).extracting(ChorusProSimulator.StatusChange::statut).endsWith(
                    "MISE_A_DISPOSITION_COMPTABLE", "MANDATEE", "MISE_EN_PAIEMENT");

            // the flow shows its Chorus Pro part and its history every status sent with the answer
            JsonNode flow = Json.parse(gw.get("demo-key-aubeval", "/api/v1/flows/" + refusedFlow.id()).body());
            assertThat(flow.get("chorusPro").get("idFacture").asLong()).isEqualTo(refused);
            JsonNode sent = flow.get("chorusPro").get("statuses").get(0);
            assertThat(sent.get("statut").asText()).isEqualTo("REJETEE");
            assertThat(sent.get("outcome").asText()).isEqualTo("SENT");
            assertThat(flow.get("history").toString()).contains("Chorus Pro : statut REJETEE envoyé");
        }
        int downloads = chorus.calls("factures/v1/telecharger/groupe");

        // a restart on the same data: the next rounds find nothing new to take in
        try (TestGateway again = TestGateway.start(data, chorusAtTestPace())) {
            int searches = chorus.calls("factures/v1/rechercher/recipiendaire");
            await().atMost(Duration.ofSeconds(30)).until(() -> chorus.calls("factures/v1/rechercher/recipiendaire")
                    >= searches + 6);
            assertThat(chorus.calls("factures/v1/telecharger/groupe")).isEqualTo(downloads);
            assertThat(again.gateway.flows().list(new FlowQuery(null, null, null, null, null, null, 100, 0)).stream()
                    .filter(f -> Submission.CHORUS_PRO.equals(f.channel())).count()).isEqualTo(3);
        }
    }

    @Test
    void anExpiredTokenIsRenewedATooLargeInvoiceIsSetAsideAndTheCommunesPreferredStatusIsSent(@TempDir Path config) throws Exception {
        Path configDir = TestGateway.copyOfConfig(config.resolve("config"));
        Path tenants = configDir.resolve("tenants.yaml");
        Files.writeString(tenants, Files.readString(tenants).replace("      structureId: 25784152\n",
                "      structureId: 25784152\n      onRejected: SUSPENDUE\n"));
        long tooLarge = chorus.deposit(AUBEVAL, "AUBEVAL", "F-8", "F-8.pdf",
                Files.readAllBytes(Samples.sample("invoices/facturx/valid/zugferd_2p1_BASIC_Einfach.pdf")), BigDecimal.ONE);
        byte[] elsewhere = Files.readAllBytes(Samples.sample("invoices/ubl/ubl-tc434-example2.xml"));
        long refused = chorus.deposit(AUBEVAL, "AUBEVAL", "F-9", "F-9.xml", elsewhere, BigDecimal.TEN);
        // the searches meet each misbehaviour in turn; the first download (F-8, deposited first) is too large
        chorus.misbehave(Misbehaviour.EXPIRED_TOKEN, 1);
        chorus.misbehave(Misbehaviour.SERVER_ERROR, 1);
        chorus.misbehave(Misbehaviour.BUSINESS_ERROR, 1); // HTTP 200, codeRetour 50000
        chorus.misbehave(Misbehaviour.SLOW, 1);
        chorus.misbehave(Misbehaviour.TOO_LARGE, 1);
        try (TestGateway gw = TestGateway.start(data, configDir, chorusAtTestPace())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "SUSPENDUE".equals(chorus.status(refused)));
            assertThat(chorus.history(refused).get(chorus.history(refused).size() - 1).motif()).isNotBlank();
            // the invoice Chorus Pro would not hand over (413) is kept for an operator, not asked for again
            assertThat(gw.gateway.chorusLedger().pullFailures()).singleElement().satisfies(f -> {
                assertThat(f.idFacture()).isEqualTo(tooLarge);
                assertThat(f.error()).contains("413");
            });
            assertThat(gw.gateway.chorusLedger().flowOf(tooLarge)).isEmpty();
            // the token Chorus Pro said was expired was replaced by a new one
            assertThat(chorus.calls("api/oauth/token")).isGreaterThanOrEqualTo(2);
        }
    }

    private static Flow flowOf(TestGateway gw, long idFacture) {
        String flowId = gw.gateway.chorusLedger().flowOf(idFacture).orElseThrow();
        return gw.gateway.flows().find(flowId).orElseThrow();
    }
}
