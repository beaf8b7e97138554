package fr.passerelle.treasury;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The state of one piece (mandat or titre) as a PES_Retour reports it.
 *
 * @param domain        "dépense" (PES_DepenseRetour) or "recette" (PES_RecetteRetour)
 * @param exercice      Exer of the Bordereau
 * @param etatPce       EtatPce code; {@code etatLabel} its meaning, which differs by domain (05: soldé / annulé)
 * @param dateEtat      the date that goes with the state: DtePceInst (en instance), DtePcePec (prise en
 *                      charge, totale or partielle), DtePceRej (rejeté); null when the file does not carry it
 * @param motif         ObsEtat and Commentaire of the piece, then of its lines ("ligne 1 : …"), or null
 * @param pjIdUniques   PJRef/IdUnique under the piece: the v5.17 Retour schema has none, so this stays
 *                      empty unless a return carries them off-schema
 * @param invoiceNumber Facture / NumFacture of a line: likewise absent from the v5.17 Retour schema
 * @param amount        sum of the lines' MtHT (HT), or null if no line has one
 * @param tiers         Nom (Prénom) and IdTiers of the first line's Tiers, or null
 */
@JsonIgnoreProperties(value = "description", allowGetters = true)
public record PieceState(String domain, String exercice, String idBord, String idPce, String etatPce, String etatLabel,
        LocalDate dateEtat, String motif, List<String> pjIdUniques, String invoiceNumber, BigDecimal amount,
        String tiers) {

    public static final String DEPENSE = "dépense";
    public static final String RECETTE = "recette";

    /** EtatPce, from the annotations of CommunDepense_Retour.xsd and CommunRecette_Retour.xsd. */
    private static final Map<String, String> DEPENSE_STATES = Map.of(
            "01", "en instance", "02", "prise en charge", "04", "rejeté", "05", "soldé");
    private static final Map<String, String> RECETTE_STATES = Map.of(
            "01", "en instance", "02", "prise en charge", "03", "prise en charge partielle", "04", "rejeté",
            "05", "annulé");

    public PieceState {
        pjIdUniques = pjIdUniques == null ? List.of() : List.copyOf(pjIdUniques);
    }

    public static String etatLabel(String domain, String etatPce) {
        String label = (RECETTE.equals(domain) ? RECETTE_STATES : DEPENSE_STATES).get(etatPce);
        return label != null ? label : etatPce == null ? "état non précisé" : "état inconnu (" + etatPce + ")";
    }

    public boolean rejected() {
        return "04".equals(etatPce);
    }

    /** "Mandat 832 (bordereau 1234567, exercice 2009) : en instance — motif : ligne 1 : 12" */
    @JsonProperty("description")
    public String describe() {
        StringBuilder s = new StringBuilder(RECETTE.equals(domain) ? "Titre " : "Mandat ").append(idPce)
                .append(" (bordereau ").append(idBord).append(", exercice ").append(exercice).append(") : ")
                .append(etatLabel);
        if (dateEtat != null) {
            s.append(" le ").append(dateEtat);
        }
        if (motif != null) {
            s.append(" — motif : ").append(motif);
        }
        return s.toString();
    }
}
