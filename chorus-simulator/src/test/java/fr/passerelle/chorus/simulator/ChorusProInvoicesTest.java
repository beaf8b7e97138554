package fr.passerelle.chorus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The recipient's services on deposited invoices: search, download, processing statuses, history. */
class ChorusProInvoicesTest {

    private static final String SEARCH = "factures/v1/rechercher/recipiendaire";
    private static final String DOWNLOAD = "factures/v1/telecharger/groupe";
    private static final String PROCESS = "factures/v1/traiter/recue";
    private final Api.TestClock clock = new Api.TestClock();
    private ChorusProSimulator simulator;
    private Api api;

    @BeforeEach
    void start() throws Exception {
        ChorusProSimulator.Options d = ChorusProSimulator.Options.defaults();
        simulator = new ChorusProSimulator(new ChorusProSimulator.Options(d.host(), 0, d.clientId(), d.clientSecret(),
                d.technicalAccounts(), d.tokenLifetime(), 64), clock).start();
        api = new Api(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private long deposit(String numero, String content) {
        long id = simulator.deposit(42, "21750001600019", numero, numero + ".xml", content.getBytes(StandardCharsets.UTF_8),
                new BigDecimal("10.50"));
        clock.advance(Duration.ofMinutes(10));
        return id;
    }

    private Api.Answer process(long id, String statut, String extra) throws Exception {
        return api.post(PROCESS, "{\"idFacture\": " + id + ", \"nouveauStatut\": \"" + statut + "\"" + extra + "}");
    }

    @Test
    void searchPagesInvoicesOldestStateFirst() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(deposit("F-" + i, "<Invoice n='" + i + "'/>"));
        }
        List<Long> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            Api.Answer answer = api.post(SEARCH, "{\"idDestinataire\": 42, \"typeDemandePaiement\": \"FACTURE\","
                    + " \"paramRecherche\": {\"nbResultatsParPage\": 2, \"pageResultatDemandee\": " + page + "}}");
            assertThat(answer.codeRetour()).isZero();
            assertThat(answer.body().path("pageCourante").asInt()).isEqualTo(page);
            assertThat(answer.body().path("pages").asInt()).isEqualTo(3);
            assertThat(answer.body().path("total").asInt()).isEqualTo(5);
            answer.body().path("listeFactures").forEach(f -> seen.add(f.path("idFacture").asLong()));
        }
        assertThat(seen).isEqualTo(ids);

        JsonNode first = api.post(SEARCH, "{\"idDestinataire\": 42}").body().path("listeFactures").get(0);
        assertThat(first.path("numeroFacture").asText()).isEqualTo("F-1");
        assertThat(first.path("codeDestinataire").asText()).isEqualTo("21750001600019");
        assertThat(first.path("idDestinataire").asLong()).isEqualTo(42);
        assertThat(first.path("statut").asText()).isEqualTo("MISE_A_DISPOSITION");
        assertThat(first.path("typeDemandePaiement").asText()).isEqualTo("FACTURE");
        assertThat(first.path("montantTTC").decimalValue()).isEqualByComparingTo("10.50");
        assertThat(first.path("dateHeureEtatCourant").asText()).isEqualTo("2026-03-02T10:00:00.000+01:00");
    }

    @Test
    void thePeriodIsInclusiveFromExclusiveToAndNothingFoundIsCode20000() throws Exception {
        deposit("A", "a"); // 10:00 Paris
        long b = deposit("B", "b"); // 10:10
        deposit("C", "c"); // 10:20
        Api.Answer period = api.post(SEARCH, "{\"idDestinataire\": 42, \"periodeDateHeureEtatCourantDu\":"
                + " \"2026-03-02T10:10:00.000+01:00\", \"periodeDateHeureEtatCourantAu\": \"2026-03-02T09:20:00Z\"}");
        assertThat(period.body().path("listeFactures")).extracting(f -> f.path("idFacture").asLong()).containsExactly(b);
        Api.Answer local = api.post(SEARCH, "{\"idDestinataire\": 42, \"periodeDateHeureEtatCourantDu\": \"2026-03-02T10:10:00\"}");
        assertThat(local.body().path("total").asInt()).isEqualTo(2);

        Api.Answer none = api.post(SEARCH, "{\"idDestinataire\": 43}");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.codeRetour()).isEqualTo(20000);
        assertThat(api.post(SEARCH, "{\"idDestinataire\": 42, \"typeDemandePaiement\": \"FACTURE_TRAVAUX\"}").codeRetour())
                .isEqualTo(20000);
    }

    @Test
    void aDownloadGivesTheDepositedBytesSeveralAZipAndTooLargeIs413() throws Exception {
        long one = deposit("F-1", "<Invoice>un</Invoice>");
        long two = deposit("F-2", "<Invoice>deux</Invoice>");
        Api.Answer single = api.post(DOWNLOAD, "{\"listeFacture\": [{\"idFacture\": " + one + "}], \"format\": \"XML\"}");
        assertThat(single.codeRetour()).isZero();
        assertThat(Base64.getDecoder().decode(single.body().path("fichierResultat").asText()))
                .isEqualTo("<Invoice>un</Invoice>".getBytes(StandardCharsets.UTF_8));
        assertThat(api.post(SEARCH, "{\"factureTelechargeeParDestinataire\": false}").body().path("total").asInt()).isEqualTo(1);

        simulator.close();
        simulator = new ChorusProSimulator(ChorusProSimulator.Options.defaults(), clock).start();
        api = new Api(simulator);
        one = deposit("F-1", "<Invoice>un</Invoice>");
        two = deposit("F-2", "<Invoice>deux</Invoice>");
        Api.Answer both = api.post(DOWNLOAD, "{\"listeFacture\": [{\"idFacture\": " + one + "}, {\"idFacture\": " + two
                + "}], \"format\": \"ZIP\"}");
        Map<String, String> entries = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(
                Base64.getDecoder().decode(both.body().path("fichierResultat").asText())))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries).containsExactly(Map.entry("F-1.xml", "<Invoice>un</Invoice>"),
                Map.entry("F-2.xml", "<Invoice>deux</Invoice>"));
    }

    @Test
    void aDownloadOverTheLimitIs413() throws Exception {
        long big = deposit("BIG", "x".repeat(65));
        Api.Answer tooLarge = api.post(DOWNLOAD, "{\"listeFacture\": [{\"idFacture\": " + big + "}], \"format\": \"PDF\"}");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.body().has("libelle")).isTrue();
        assertThat(api.post(DOWNLOAD, "{\"listeFacture\": [{\"idFacture\": 999}]}").codeRetour()).isEqualTo(20001);
    }

    @Test
    void theRecipientSetsStatusesTheRulesAllow() throws Exception {
        long id = deposit("F-1", "<Invoice/>");
        Api.Answer done = process(id, "SERVICE_FAIT", "");
        assertThat(done.codeRetour()).isZero();
        assertThat(done.body().path("idFacture").asLong()).isEqualTo(id);
        assertThat(done.body().path("nouveauStatut").asText()).isEqualTo("SERVICE_FAIT");
        assertThat(done.body().path("dateTraitement").asText()).isEqualTo("2026-03-02");
        assertThat(simulator.status(id)).isEqualTo("SERVICE_FAIT");

        assertThat(process(id, "COMPLETEE", "").codeRetour()).isEqualTo(20003);
        assertThat(process(id, "MISE_A_DISPOSITION", "").codeRetour()).isEqualTo(20003);
        assertThat(process(id, "REJETEE", "").codeRetour()).isEqualTo(20004);
        assertThat(process(id, "REJETEE", ", \"motif\": \"  \"").codeRetour()).isEqualTo(20004);
        assertThat(process(id, "SUSPENDUE", ", \"motif\": \"" + "m".repeat(256) + "\"").codeRetour()).isEqualTo(20004);
        assertThat(process(id, "MANDATEE", "").codeRetour()).isEqualTo(20005);
        assertThat(process(999, "MANDATEE", "").codeRetour()).isEqualTo(20001);
        assertThat(simulator.status(id)).isEqualTo("SERVICE_FAIT");

        clock.advance(Duration.ofHours(1));
        assertThat(process(id, "MANDATEE", ", \"numeroDPMandat\": \"M-2026-17\"").codeRetour()).isZero();
        assertThat(simulator.history(id)).extracting(ChorusProSimulator.StatusChange::statut)
                .containsExactly("DEPOSEE", "MISE_A_DISPOSITION", "SERVICE_FAIT", "MANDATEE");
        ChorusProSimulator.StatusChange last = simulator.history(id).get(3);
        assertThat(last.numeroDPMandat()).isEqualTo("M-2026-17");
        assertThat(last.at().toInstant()).isEqualTo(clock.instant());
        JsonNode found = api.post(SEARCH, "{\"periodeDateHeureEtatCourantDu\": \"" + last.at() + "\"}").body();
        assertThat(found.path("listeFactures").get(0).path("statut").asText()).isEqualTo("MANDATEE");
    }

    @Test
    void theHistoryAndTheStatusesPossibleFromTheCurrentOne() throws Exception {
        long id = deposit("F-1", "<Invoice/>");
        assertThat(process(id, "SUSPENDUE", ", \"motif\": \"Pièce justificative manquante\"").codeRetour()).isZero();
        assertThat(simulator.history(id).get(2).motif()).isEqualTo("Pièce justificative manquante");

        JsonNode history = api.post("factures/v1/consulter/historique", "{\"idFacture\": " + id + "}").body();
        assertThat(history.path("statutCourantCode").asText()).isEqualTo("SUSPENDUE");
        JsonNode latest = history.path("historiquesDesStatuts").path("histoStatut").get(0);
        assertThat(latest.path("histoStatutCode").asText()).isEqualTo("SUSPENDUE");
        assertThat(latest.path("histoStatutCommentaire").asText()).isEqualTo("Pièce justificative manquante");
        assertThat(history.path("historiquesDesStatuts").path("totalHistoStatut").asInt()).isEqualTo(3);

        JsonNode byId = api.post("transverses/v1/recuperer/etats/traitement", "{\"idFacture\": " + id + "}").body();
        assertThat(byId.path("listeStatutsPossiblesPourTraitement")).extracting(s -> s.path("statutPossiblePourTraitement").asText())
                .containsExactly("MISE_A_DISPOSITION", "REJETEE", "SERVICE_FAIT", "MANDATEE", "MISE_A_DISPOSITION_COMPTABLE");
        JsonNode byStatus = api.post("transverses/v1/recuperer/etats/traitement", "{\"statutCourant\": \"COMPTABILISEE\"}").body();
        assertThat(byStatus.path("listeStatutsPossiblesPourTraitement")).hasSize(1);

        JsonNode consult = api.post("factures/v1/consulter/recipiendaire", "{\"identifiantFactureCPP\": " + id + "}").body();
        assertThat(consult.path("facture").path("statutFacture").asText()).isEqualTo("SUSPENDUE");
        assertThat(consult.path("facture").path("numeroFacture").asText()).isEqualTo("F-1");
    }

    @Test
    void aFolderSeedsInvoices(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("B-2.pdf"), "pdf");
        Files.writeString(folder.resolve("A-1.xml"), "<Invoice/>");
        Files.createDirectory(folder.resolve("sub"));
        simulator.seed(7, "21000000000007", folder);
        JsonNode list = api.post(SEARCH, "{\"idDestinataire\": 7}").body().path("listeFactures");
        assertThat(list).extracting(f -> f.path("numeroFacture").asText()).containsExactly("A-1", "B-2");
        assertThat(list.get(1).path("montantTTC").decimalValue()).isEqualByComparingTo(BigDecimal.ZERO);
    }
}
