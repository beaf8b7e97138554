package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class RetourReaderTest {

    static Retour read(String xml) throws Exception {
        return RetourReader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void depenseSample() throws Exception {
        Retour r = RetourReader.read(AcquitReaderTest.pes("PES_Retour_depense.xml"));

        assertThat(r.nomFic()).isEqualTo("HELIOS_SIMU_RETOUR_1565181244_184723364.xml");
        assertThat(r.idPost()).isEqualTo("082008");
        assertThat(r.idColl()).isEqualTo("12345678900012");
        assertThat(r.codCol()).isEqualTo("221");
        assertThat(r.codBud()).isEqualTo("00");
        assertThat(r.typRestit()).isEqualTo("AA"); // a simulator's value: the schema only says two characters
        assertThat(r.schemaWarnings()).isEmpty();
        assertThat(r.pieces()).singleElement().satisfies(p -> {
            assertThat(p.domain()).isEqualTo("dépense");
            assertThat(p.exercice()).isEqualTo("2009");
            assertThat(p.idBord()).isEqualTo("1234567");
            assertThat(p.idPce()).isEqualTo("832");
            assertThat(p.etatPce()).isEqualTo("01");
            assertThat(p.etatLabel()).isEqualTo("en instance");
            assertThat(p.dateEtat()).as("DtePcePec is given, not DtePceInst").isNull();
            assertThat(p.motif()).isEqualTo("ligne 1 : 12");
            assertThat(p.amount()).isEqualByComparingTo("39724.75");
            assertThat(p.tiers()).isNull();
            assertThat(p.pjIdUniques()).isEmpty();
            assertThat(p.invoiceNumber()).isNull();
            assertThat(p.describe()).isEqualTo("Mandat 832 (bordereau 1234567, exercice 2009) : en instance — motif : ligne 1 : 12");
        });
        assertThat(r.rejectedPieces()).isEmpty();
    }

    @Test
    void rejectedRecettePieceWithTiersAndReasons() throws Exception {
        Retour r = read("""
                <?xml version="1.0" encoding="UTF-8"?>
                <n:PES_Retour xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour">
                  <Enveloppe><Parametres><Version V="2"/><TypFic V="PES2R_RCE"/><NomFic V="PES2R_RCE__R_238_01_035000_20250301_20250302_20250302101010.xml"/></Parametres></Enveloppe>
                  <EnTetePES><DteStr V="2025-03-01"/><IdPost V="035000"/><IdColl V="21350238800015"/><CodColl V="238"/><CodBud V="01"/></EnTetePES>
                  <PES_RecetteRetour>
                    <EnTeteRecette><TypRestit V="01"/><IdVer V="2"/><NatInf V="2"/></EnTeteRecette>
                    <Bordereau>
                      <BlocBordereau><Exer V="2025"/><IdBord V="41"/><TypBord V="01"/></BlocBordereau>
                      <Piece>
                        <BlocPiece><IdPce V="310"/><TypPce V="01"/><NatPce V="01"/><EtatPce V="04"/>
                          <ObsEtat V="PJ-ABS"/><Commentaire V="Pièce justificative absente"/><DtePceRej V="2025-02-27"/></BlocPiece>
                        <LigneDePiece>
                          <BlocLignePiece><InfoLignePiece><IdLigne V="1"/><EtatLigPce V="01"/><MtHT V="100.50"/></InfoLignePiece></BlocLignePiece>
                          <Tiers><InfoTiers><IdTiers V="12345678200010"/><CatTiers V="50"/><NatJur V="03"/><Nom V="DUPONT"/><Prenom V="Jeanne"/></InfoTiers></Tiers>
                        </LigneDePiece>
                        <LigneDePiece>
                          <BlocLignePiece><InfoLignePiece><IdLigne V="2"/><EtatLigPce V="01"/><MtHT V="20"/></InfoLignePiece></BlocLignePiece>
                        </LigneDePiece>
                      </Piece>
                      <Piece>
                        <BlocPiece><IdPce V="311"/><TypPce V="01"/><NatPce V="01"/><DtePcePec V="2025-02-20"/><EtatPce V="05"/></BlocPiece>
                        <LigneDePiece><BlocLignePiece><InfoLignePiece><IdLigne V="1"/><EtatLigPce V="02"/><MtHT V="5"/></InfoLignePiece></BlocLignePiece></LigneDePiece>
                      </Piece>
                    </Bordereau>
                  </PES_RecetteRetour>
                </n:PES_Retour>
                """);

        assertThat(r.codCol()).isEqualTo("238");
        assertThat(r.typRestit()).isEqualTo("01");
        assertThat(r.pieces()).hasSize(2);
        PieceState rejected = r.rejectedPieces().get(0);
        assertThat(r.rejectedPieces()).containsExactly(rejected);
        assertThat(rejected.domain()).isEqualTo("recette");
        assertThat(rejected.idBord()).isEqualTo("41");
        assertThat(rejected.idPce()).isEqualTo("310");
        assertThat(rejected.etatLabel()).isEqualTo("rejeté");
        assertThat(rejected.dateEtat()).isEqualTo(LocalDate.of(2025, 2, 27));
        assertThat(rejected.motif()).isEqualTo("PJ-ABS ; Pièce justificative absente");
        assertThat(rejected.amount()).isEqualByComparingTo(new BigDecimal("120.50"));
        assertThat(rejected.tiers()).isEqualTo("DUPONT Jeanne (12345678200010)");
        assertThat(rejected.describe()).isEqualTo("Titre 310 (bordereau 41, exercice 2025) : rejeté le 2025-02-27 — "
                + "motif : PJ-ABS ; Pièce justificative absente");
        assertThat(r.pieces().get(1).etatLabel()).as("05 is annulé in recette, soldé in dépense").isEqualTo("annulé");
        assertThat(r.pieces().get(1).dateEtat()).isNull();
    }

    @Test
    void etatLabelsDependOnTheDomain() {
        assertThat(PieceState.etatLabel("dépense", "02")).isEqualTo("prise en charge");
        assertThat(PieceState.etatLabel("dépense", "05")).isEqualTo("soldé");
        assertThat(PieceState.etatLabel("recette", "03")).isEqualTo("prise en charge partielle");
        assertThat(PieceState.etatLabel("dépense", "09")).isEqualTo("état inconnu (09)");
    }

    @Test
    void offSchemaReturnIsReadWithWarnings() throws Exception {
        String xml = new String(java.nio.file.Files.readAllBytes(AcquitReaderTest.pes("PES_Retour_depense.xml")),
                StandardCharsets.ISO_8859_1).replace("<CodColl V=\"221\"/>", "<CodColl V=\"2210\"/>");
        Retour r = RetourReader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(r.codCol()).isEqualTo("2210");
        assertThat(r.schemaWarnings()).isNotEmpty().allMatch(w -> w.contains("élément CodColl"));
        assertThat(r.pieces()).hasSize(1);
    }

    @Test
    void whatIsNotAPesRetourIsRefused() throws Exception {
        ReturnFileException acquit = catchThrowableOfType(ReturnFileException.class,
                () -> RetourReader.read(AcquitReaderTest.pes("PES_ACQUIT_ok.xml")));
        assertThat(acquit.ruleId()).isEqualTo(ReturnFileException.ROOT);
        assertThat(acquit.getMessage()).contains("acquittement");
        AcquitReaderTest.assertNoLeak(acquit);

        ReturnFileException aller = catchThrowableOfType(ReturnFileException.class,
                () -> RetourReader.read(AcquitReaderTest.pes("PESALR2_25060187900027_190328_001.xml")));
        assertThat(aller.ruleId()).isEqualTo(ReturnFileException.ROOT);
        assertThat(aller.getMessage()).contains("PES_Aller");

        assertThat(refusal("").ruleId()).isEqualTo(ReturnFileException.UNREADABLE);
        assertThat(refusal("<n:PES_Retour xmlns:n=\"urn:x\"/>").ruleId()).isEqualTo(ReturnFileException.ROOT);
        assertThat(refusal("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><r>&e;</r>")
                .ruleId()).isEqualTo(ReturnFileException.DOCTYPE);
        assertThat(refusal("<n:PES_Retour xmlns:n=\"" + ReturnXml.RETOUR_NS + "\"><Enveloppe/></n:PES_Retour>").ruleId())
                .isEqualTo(ReturnFileException.NOMFIC_MISSING);
    }

    private static ReturnFileException refusal(String xml) {
        ReturnFileException e = catchThrowableOfType(ReturnFileException.class, () -> read(xml));
        assertThat(e).isNotNull();
        AcquitReaderTest.assertNoLeak(e);
        return e;
    }
}
