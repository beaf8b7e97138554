package fr.passerelle.treasury;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One ElementACQUIT: Hélios' verdict on one part of the flow, named by NumBord + ExerciceBord (a
 * Bordereau), IdUnique (a PJ) or IdMarche (a marché or contrat de concession) — the three
 * identifiers the V2 schema allows — or by nothing, for technical and whole-file signature checks.
 *
 * @param domain      DomaineAck (-1 when absent or not a number)
 * @param domainLabel its meaning, from the annotations of CommunAck.xsd
 * @param ok          EtatAck = 1
 * @param errors      every Erreur, whether directly under ElementACQUIT or under DetailPiece / DetailLigne
 */
@JsonIgnoreProperties(value = "description", allowGetters = true)
public record AckItem(int domain, String domainLabel, boolean ok, String numBord, String exerciceBord, String idUnique,
        String idMarche, List<AckError> errors) {

    /** DomaineAck values (CommunAck.xsd, TDomaineAck). */
    private static final Map<Integer, String> DOMAINS = Map.ofEntries(
            Map.entry(0, "technique"),
            Map.entry(1, "signature technique"),
            Map.entry(2, "signature globale"),
            Map.entry(3, "signature du bordereau"),
            Map.entry(4, "pièce justificative"),
            Map.entry(5, "dépense"),
            Map.entry(6, "recette"),
            Map.entry(7, "rôle"),
            Map.entry(8, "budget"),
            Map.entry(9, "état actif"),
            Map.entry(10, "état passif"),
            Map.entry(11, "marché"),
            Map.entry(12, "facture"),
            Map.entry(99, "paramétrage"));

    public AckItem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** The French label of a DomaineAck value. */
    public static String domainLabel(int domain) {
        String label = DOMAINS.get(domain);
        return label != null ? label : domain < 0 ? "domaine non précisé" : "domaine inconnu (" + domain + ")";
    }

    /**
     * "PJ 2018EC00088880 : acceptée", "Bordereau 258 (exercice 2018) : refusé — pièce 5432 :
     * ERREUR_AUTRE 2559 - …": what an accountant reads on the flow's page.
     */
    @JsonProperty("description")
    public String describe() {
        String subject;
        boolean feminine;
        if (idUnique != null) {
            subject = "PJ " + idUnique;
            feminine = true;
        } else if (numBord != null) {
            subject = "Bordereau " + numBord + (exerciceBord == null ? "" : " (exercice " + exerciceBord + ")");
            feminine = false;
        } else if (idMarche != null) {
            subject = (domain == 12 ? "Facture " : "Marché ") + idMarche;
            feminine = domain == 12;
        } else {
            subject = "Flux (contrôle " + domainLabel + ")";
            feminine = false;
        }
        String verdict = ok ? (feminine ? "acceptée" : "accepté") : (feminine ? "refusée" : "refusé");
        StringBuilder s = new StringBuilder(subject).append(" : ").append(verdict);
        if (!errors.isEmpty()) {
            s.append(" — ");
            for (int i = 0; i < errors.size(); i++) {
                s.append(i == 0 ? "" : " ; ").append(errors.get(i).describe());
            }
        } else if (!ok) {
            s.append(" (Hélios ne donne pas de motif)");
        }
        return s.toString();
    }
}
