package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import fr.passerelle.Samples;

class AcquitReaderTest {

    private static final String LIBELLE_2559 =
            "2559 - Le code service de la structure publique destinataire est inconnu ou inactif dans Chorus Pro";

    static Path pes(String name) {
        return Samples.sample("pes/" + name);
    }

    static Acquittement read(String xml) throws Exception {
        return AcquitReader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static ReturnFileException refusal(String xml) {
        ReturnFileException e = catchThrowableOfType(ReturnFileException.class, () -> read(xml));
        assertThat(e).as("refused").isNotNull();
        assertNoLeak(e);
        return e;
    }

    static void assertNoLeak(ReturnFileException e) {
        assertThat(e.getMessage()).isNotBlank()
                .doesNotContain("Exception", "\tat ", "org.xml", "SAX", "java.", "xerces");
    }

    @Test
    void acceptedSample() throws Exception {
        Acquittement a = AcquitReader.read(pes("PES_ACQUIT_ok.xml"));

        assertThat(a.nomFic()).isEqualTo("HELIOS_SIMU_ALR2_1477486132_1155762524.xml");
        assertThat(a.typFic()).isEqualTo("PESALR2");
        assertThat(a.idPost()).isEqualTo("086016");
        assertThat(a.idColl()).isEqualTo("20004910400025");
        assertThat(a.codCol()).isEqualTo("400");
        assertThat(a.codBud()).isEqualTo("01");
        assertThat(a.libelleColBud()).isEqualTo("EAUX DE METROPOLIS");
        assertThat(a.dteStr()).isEqualTo(LocalDate.of(2015, 12, 10));
        assertThat(a.items()).hasSize(5).allMatch(AckItem::ok).allMatch(i -> i.errors().isEmpty());
        assertThat(a.accepted()).isTrue();
        assertThat(a.refusedItems()).isEmpty();
        assertThat(a.schemaWarnings()).isEmpty();

        AckItem bordereau = a.items().get(0);
        assertThat(bordereau.domain()).isEqualTo(5);
        assertThat(bordereau.domainLabel()).isEqualTo("dépense");
        assertThat(bordereau.numBord()).isEqualTo("1847");
        assertThat(bordereau.exerciceBord()).isEqualTo("2015");
        assertThat(bordereau.describe()).isEqualTo("Bordereau 1847 (exercice 2015) : accepté");
        assertThat(a.items().subList(1, 5)).extracting(AckItem::idUnique).containsExactly(
                "200049104000252015DEPENSE0000087458", "20004904000252015DEPENSE0000087460",
                "200049104000252015DEPENSE0000087461", "200049104000252015DEPENSE0000087459");
        assertThat(a.items().get(1).domainLabel()).isEqualTo("pièce justificative");
    }

    @Test
    void refusedRecetteSample() throws Exception {
        Acquittement a = AcquitReader.read(pes("PES_ACQUIT_ko_depense.xml"));

        assertThat(a.nomFic()).isEqualTo("PesRecette-02-2018-258-258-20190129666666");
        assertThat(a.typFic()).isEqualTo("PESALR1");
        assertThat(a.idPost()).isEqualTo("006111");
        assertThat(a.idColl()).isEqualTo("01234567890001");
        assertThat(a.codCol()).isEqualTo("000");
        assertThat(a.codBud()).isEqualTo("00");
        assertThat(a.libelleColBud()).isEqualTo("STELA");
        assertThat(a.dteStr()).isEqualTo(LocalDate.of(2019, 1, 30));
        assertThat(a.items()).hasSize(5);
        assertThat(a.accepted()).isFalse();

        assertThat(a.refusedItems()).hasSize(2).allSatisfy(i -> {
            assertThat(i.domain()).isEqualTo(6);
            assertThat(i.domainLabel()).isEqualTo("recette");
            assertThat(i.numBord()).isEqualTo("258");
            assertThat(i.exerciceBord()).isEqualTo("2018");
        });
        assertThat(a.refusedItems()).flatExtracting(AckItem::errors).containsExactly(
                new AckError("5432", null, "ERREUR_AUTRE", LIBELLE_2559),
                new AckError("4321", null, "ERREUR_AUTRE", LIBELLE_2559));
        assertThat(a.refusedItems().get(0).describe())
                .isEqualTo("Bordereau 258 (exercice 2018) : refusé — pièce 5432 : ERREUR_AUTRE " + LIBELLE_2559);
        assertThat(a.items().get(0).describe()).isEqualTo("PJ 2018EC00088880 : acceptée");
        assertThat(a.items()).filteredOn(AckItem::ok).extracting(AckItem::idUnique)
                .containsExactly("2018EC00088880", "2018EC00088881", "2018EC00088882");
    }

    @Test
    void offSchemaCodColIsAWarningNotARefusal() throws Exception {
        Acquittement a = AcquitReader.read(pes("PES_ACQUIT_ko_depense.xml"));

        assertThat(a.schemaWarnings()).isNotEmpty()
                .allMatch(w -> w.contains("élément CodCol"))
                .anyMatch(w -> w.contains("'000'"));
    }

    @Test
    void refusedPjSampleKeepsLatin1Libelle() throws Exception {
        Acquittement a = AcquitReader.read(pes("PES_ACQUIT_ko_signature.xml"));

        assertThat(a.nomFic()).isEqualTo("PesDepense-12-2018-209-2092019012917666666");
        assertThat(a.codCol()).isEqualTo("000");
        assertThat(a.codBud()).isEqualTo("01");
        assertThat(a.items()).hasSize(3);
        assertThat(a.accepted()).isFalse();
        AckItem pj = a.refusedItems().get(0);
        assertThat(a.refusedItems()).containsExactly(pj);
        assertThat(pj.domain()).isEqualTo(4);
        assertThat(pj.idUnique()).isEqualTo("TI00064567");
        assertThat(pj.errors()).containsExactly(new AckError(null, null, "ERREUR_DOUBLON_PJ",
                "1984 - L'identifiant unique de la PJ a déjà été intégré dans HELIOS"));
        assertThat(pj.describe()).isEqualTo("PJ TI00064567 : refusée — ERREUR_DOUBLON_PJ "
                + "1984 - L'identifiant unique de la PJ a déjà été intégré dans HELIOS");
        assertThat(a.items().get(1).describe()).isEqualTo("Bordereau 123 (exercice 2018) : accepté");
        assertThat(a.items().get(2).idUnique()).isEqualTo("CP00065678");
        assertThat(a.schemaWarnings()).isNotEmpty();
    }

    @Test
    void errorsUnderDetailPieceAndDetailLigneKeepTheirNumbers() throws Exception {
        Acquittement a = read(acquit("""
                <ElementACQUIT><DomaineAck V="5"/><EtatAck V="0"/><NumBord V="12"/><ExerciceBord V="2024"/>
                  <Erreur><NumAnoAck V="ERREUR_DOUBLON_BORDEREAU"/><LibelleAnoAck V="Bordereau déjà intégré"/></Erreur>
                  <DetailPiece><NumPiece V="7"/>
                    <Erreur><NumAnoAck V="ERREUR_AUTRE"/><LibelleAnoAck V="Pièce"/></Erreur>
                    <DetailLigne><NumLigne V="2"/><Erreur><NumAnoAck V="ERREUR_CUMUL_MONTANTS"/></Erreur></DetailLigne>
                    <DetailLigne><NumLigne V="3"/><Erreur><LibelleAnoAck V="Ligne 3"/></Erreur></DetailLigne>
                  </DetailPiece>
                  <DetailPiece><NumPiece V="8"/><Erreur><NumAnoAck V="ERREUR_AUTRE"/><LibelleAnoAck V="Autre"/></Erreur></DetailPiece>
                </ElementACQUIT>
                <ElementACQUIT><DomaineAck V="2"/><EtatAck V="0"/>
                  <Erreur><NumAnoAck V="ERREUR_SIGNATURE_INVALIDE"/><LibelleAnoAck V="Signature invalide"/></Erreur>
                </ElementACQUIT>
                <ElementACQUIT><DomaineAck V="11"/><EtatAck V="1"/><IdMarche V="2024MARCHE0001-001"/></ElementACQUIT>
                """));

        assertThat(a.schemaWarnings()).isEmpty();
        assertThat(a.items().get(0).errors()).containsExactly(
                new AckError(null, null, "ERREUR_DOUBLON_BORDEREAU", "Bordereau déjà intégré"),
                new AckError("7", null, "ERREUR_AUTRE", "Pièce"),
                new AckError("7", "2", "ERREUR_CUMUL_MONTANTS", null),
                new AckError("7", "3", null, "Ligne 3"),
                new AckError("8", null, "ERREUR_AUTRE", "Autre"));
        assertThat(a.items().get(0).describe()).isEqualTo("Bordereau 12 (exercice 2024) : refusé — "
                + "ERREUR_DOUBLON_BORDEREAU Bordereau déjà intégré ; pièce 7 : ERREUR_AUTRE Pièce ; "
                + "pièce 7, ligne 2 : ERREUR_CUMUL_MONTANTS ; pièce 7, ligne 3 : Ligne 3 ; pièce 8 : ERREUR_AUTRE Autre");
        assertThat(a.items().get(1).domainLabel()).isEqualTo("signature globale");
        assertThat(a.items().get(1).describe())
                .isEqualTo("Flux (contrôle signature globale) : refusé — ERREUR_SIGNATURE_INVALIDE Signature invalide");
        assertThat(a.items().get(2).idMarche()).isEqualTo("2024MARCHE0001-001");
        assertThat(a.items().get(2).describe()).isEqualTo("Marché 2024MARCHE0001-001 : accepté");
        assertThat(a.refusedItems()).hasSize(2);
    }

    @Test
    void domainLabelsFollowTheSchemaAnnotations() {
        assertThat(AckItem.domainLabel(0)).isEqualTo("technique");
        assertThat(AckItem.domainLabel(1)).isEqualTo("signature technique");
        assertThat(AckItem.domainLabel(3)).isEqualTo("signature du bordereau");
        assertThat(AckItem.domainLabel(12)).isEqualTo("facture");
        assertThat(AckItem.domainLabel(99)).isEqualTo("paramétrage");
        assertThat(AckItem.domainLabel(42)).isEqualTo("domaine inconnu (42)");
    }

    @Test
    void olderV1AcquitIsReadWithAWarning() throws Exception {
        Acquittement a = read(acquit("""
                <ElementACQUIT><DomaineAck V="5"/><EtatAck V="0"/><ExerciceBord V="2010"/><NumBord V="3"/>
                  <NumPiece V="14"/><NumLigne V="1"/><NumAnoAck V="ERREUR_DOUBLON_PIECE"/><LibelleAnoAck V="Doublon"/>
                </ElementACQUIT>
                """).replace(ReturnXml.ACQUIT_NS, ReturnXml.RETOUR_NS));

        assertThat(a.items()).singleElement().satisfies(i -> assertThat(i.errors())
                .containsExactly(new AckError("14", "1", "ERREUR_DOUBLON_PIECE", "Doublon")));
        assertThat(a.schemaWarnings()).singleElement().asString().contains("V1");
    }

    @Test
    void emptyAcquitIsNotAccepted() throws Exception {
        Acquittement a = read(acquit(""));

        assertThat(a.items()).isEmpty();
        assertThat(a.accepted()).isFalse();
        assertThat(a.schemaWarnings()).isNotEmpty(); // ElementACQUIT is required
    }

    @Test
    void garbageEmptyAndTruncatedFilesAreUnreadable() {
        assertThat(refusal("").ruleId()).isEqualTo(ReturnFileException.UNREADABLE);
        assertThat(refusal("PK\u0003\u0004 ceci n'est pas du XML").ruleId()).isEqualTo(ReturnFileException.UNREADABLE);
        ReturnFileException truncated = refusal(acquit("").substring(0, 300));
        assertThat(truncated.ruleId()).isEqualTo(ReturnFileException.UNREADABLE);
        assertThat(truncated.getMessage()).startsWith("Le fichier n'est pas un XML lisible (ligne");
        assertThat(truncated.detail()).isNotBlank();
        assertThat(truncated.rejection().rule()).isEqualTo("RETOUR-ILLISIBLE");
    }

    @Test
    void doctypeAndXxeAreRefused() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE n:PES_ACQUIT [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                """ + acquit("").substring(acquit("").indexOf("<n:PES_ACQUIT")).replace("STELA", "&x;");
        ReturnFileException e = refusal(xxe);
        assertThat(e.ruleId()).isEqualTo(ReturnFileException.DOCTYPE);
        assertThat(e.getMessage()).doesNotContain("root:");

        assertThat(refusal("<!DOCTYPE a><a/>").ruleId()).isEqualTo(ReturnFileException.DOCTYPE);
    }

    @Test
    void otherPesFilesAreRefusedByTheirRoot() throws IOException {
        ReturnFileException aller = catchThrowableOfType(ReturnFileException.class,
                () -> AcquitReader.read(pes("PES_ex.xml")));
        assertThat(aller.ruleId()).isEqualTo(ReturnFileException.ROOT);
        assertThat(aller.getMessage()).contains("PES_Aller");
        assertNoLeak(aller);

        ReturnFileException retour = catchThrowableOfType(ReturnFileException.class,
                () -> AcquitReader.read(pes("PES_Retour_depense.xml")));
        assertThat(retour.ruleId()).isEqualTo(ReturnFileException.ROOT);
        assertThat(retour.getMessage()).contains("PES_Retour");

        assertThat(refusal("<facture/>").ruleId()).isEqualTo(ReturnFileException.ROOT);
        ReturnFileException wrongNs = refusal(acquit("").replace(ReturnXml.ACQUIT_NS, "urn:autre"));
        assertThat(wrongNs.ruleId()).isEqualTo(ReturnFileException.ROOT);
        assertThat(wrongNs.getMessage()).contains("espace de noms");
    }

    @Test
    void missingNomFicIsRefused() throws IOException {
        String xml = Files.readString(pes("PES_ACQUIT_ok.xml"), StandardCharsets.ISO_8859_1)
                .replace("<NomFic V=\"HELIOS_SIMU_ALR2_1477486132_1155762524.xml\"/>", "");
        ReturnFileException e = catchThrowableOfType(ReturnFileException.class, () -> AcquitReader.read(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.ISO_8859_1))));
        assertThat(e.ruleId()).isEqualTo(ReturnFileException.NOMFIC_MISSING);
        assertNoLeak(e);
    }

    @Test
    void fiveThousandItemsReadFine() throws Exception {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            if (i % 100 == 0) {
                items.append("<ElementACQUIT><DomaineAck V=\"5\"/><EtatAck V=\"0\"/><NumBord V=\"").append(i)
                        .append("\"/><ExerciceBord V=\"2025\"/><DetailPiece><NumPiece V=\"").append(i + 1)
                        .append("\"/><Erreur><NumAnoAck V=\"ERREUR_AUTRE\"/><LibelleAnoAck V=\"Anomalie ")
                        .append(i).append("\"/></Erreur></DetailPiece></ElementACQUIT>\n");
            } else {
                items.append("<ElementACQUIT><DomaineAck V=\"4\"/><EtatAck V=\"1\"/><IdUnique V=\"PJ2025")
                        .append(String.format("%08d", i)).append("\"/></ElementACQUIT>\n");
            }
        }
        Acquittement a = read(acquit(items.toString()));

        assertThat(a.items()).hasSize(5000);
        assertThat(a.refusedItems()).hasSize(50);
        assertThat(a.refusedItems().get(49).errors()).containsExactly(
                new AckError("4901", null, "ERREUR_AUTRE", "Anomalie 4900"));
        assertThat(a.items().get(4999).idUnique()).isEqualTo("PJ202500004999");
        assertThat(a.schemaWarnings()).isEmpty();
    }

    @Test
    void nullPathIsAProgrammingError() {
        assertThatThrownBy(() -> AcquitReader.read((Path) null)).isInstanceOf(NullPointerException.class);
    }

    /** A valid acquittement V2 around the given ElementACQUIT elements. */
    static String acquit(String elements) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <n:PES_ACQUIT xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour/v2">
                  <Enveloppe><Parametres><Version V="2"/><TypFic V="PESALR2"/><NomFic V="PESALR2_21350238800015_250101_001"/></Parametres>
                    <Emetteur><Sigle V="PASSERELLE"/><Adresse V="passerelle"/></Emetteur></Enveloppe>
                  <EnTetePES><DteStr V="2025-01-02"/><IdPost V="035000"/><IdColl V="21350238800015"/><CodCol V="238"/><CodBud V="01"/><LibelleColBud V="COMMUNE"/></EnTetePES>
                  <ACQUIT><EnTeteAcquit><IdVer V="2"/></EnTeteAcquit>
                """ + elements + """
                  </ACQUIT>
                </n:PES_ACQUIT>
                """;
    }
}
