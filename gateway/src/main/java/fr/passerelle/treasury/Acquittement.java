package fr.passerelle.treasury;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A PES_ACQUIT as read: the Enveloppe and EnTetePES Hélios copies from the flow (NomFic and CodCol
 * correlate it with the flow sent), every ElementACQUIT, and the schema deviations found, as
 * warnings: an off-schema acquittement is still Hélios' answer.
 */
@JsonIgnoreProperties(value = "accepted", allowGetters = true)
public record Acquittement(String nomFic, String typFic, String idPost, String idColl, String codCol, String codBud,
        String libelleColBud, LocalDate dteStr, List<AckItem> items, List<String> schemaWarnings) {

    public Acquittement {
        items = items == null ? List.of() : List.copyOf(items);
        schemaWarnings = schemaWarnings == null ? List.of() : List.copyOf(schemaWarnings);
    }

    /** The flow is accepted only if Hélios acknowledged something and refused nothing. */
    @JsonProperty("accepted")
    public boolean accepted() {
        return !items.isEmpty() && items.stream().allMatch(AckItem::ok);
    }

    /** The items Hélios refused (EtatAck = 0): acceptance is partial, shown item by item. */
    public List<AckItem> refusedItems() {
        return items.stream().filter(i -> !i.ok()).toList();
    }
}
