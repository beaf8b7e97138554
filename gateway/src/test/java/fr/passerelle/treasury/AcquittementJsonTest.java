package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

class AcquittementJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void acquittementWritesAndReadsBack() throws Exception {
        Acquittement a = AcquitReader.read(AcquitReaderTest.pes("PES_ACQUIT_ko_depense.xml"));

        String json = MAPPER.writeValueAsString(a);
        JsonNode n = MAPPER.readTree(json);

        assertThat(n.get("nomFic").asText()).isEqualTo("PesRecette-02-2018-258-258-20190129666666");
        assertThat(n.get("codCol").asText()).isEqualTo("000");
        assertThat(n.get("dteStr").asText()).isEqualTo("2019-01-30");
        assertThat(n.get("accepted").asBoolean(true)).isFalse();
        assertThat(n.get("items")).hasSize(5);
        JsonNode refused = n.get("items").get(2);
        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.get("domainLabel").asText()).isEqualTo("recette");
        assertThat(refused.get("errors").get(0).get("numPiece").asText()).isEqualTo("5432");
        assertThat(refused.get("errors").get(0).get("code").asText()).isEqualTo("ERREUR_AUTRE");
        assertThat(refused.get("description").asText()).startsWith("Bordereau 258 (exercice 2018) : refusé — pièce 5432");
        assertThat(n.get("schemaWarnings").isArray()).isTrue();
        assertThat(n.has("refusedItems")).as("derived, not a property").isFalse();

        assertThat(MAPPER.readValue(json, Acquittement.class)).isEqualTo(a);
    }

    @Test
    void retourWritesAndReadsBack() throws Exception {
        Retour r = RetourReader.read(AcquitReaderTest.pes("PES_Retour_depense.xml"));

        String json = MAPPER.writeValueAsString(r);
        JsonNode piece = MAPPER.readTree(json).get("pieces").get(0);

        assertThat(piece.get("amount").decimalValue()).isEqualByComparingTo("39724.75");
        assertThat(piece.get("etatLabel").asText()).isEqualTo("en instance");
        assertThat(MAPPER.readValue(json, Retour.class)).isEqualTo(r);
    }
}
