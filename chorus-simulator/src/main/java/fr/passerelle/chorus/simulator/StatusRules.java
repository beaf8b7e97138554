package fr.passerelle.chorus.simulator;

import java.util.List;
import java.util.Map;

/**
 * The statuses of an invoice received on Chorus Pro and those its recipient may set ({@code factures/v1/traiter/recue}),
 * with the checks Chorus Pro makes on a new status.
 *
 * <p>The simulator's transition table (a plausible reading of the Chorus Pro guides, not an official table):
 * <pre>
 * MISE_A_DISPOSITION            → A_RECYCLER, SUSPENDUE, REJETEE, SERVICE_FAIT, MANDATEE, MISE_A_DISPOSITION_COMPTABLE
 * SUSPENDUE                     → MISE_A_DISPOSITION, REJETEE, SERVICE_FAIT, MANDATEE, MISE_A_DISPOSITION_COMPTABLE
 * SERVICE_FAIT                  → MANDATEE, MISE_A_DISPOSITION_COMPTABLE, SUSPENDUE, REJETEE
 * MANDATEE                      → MISE_A_DISPOSITION_COMPTABLE, COMPTABILISEE, MISE_EN_PAIEMENT
 * MISE_A_DISPOSITION_COMPTABLE  → MANDATEE, COMPTABILISEE, MISE_EN_PAIEMENT, REJETEE, SUSPENDUE
 * COMPTABILISEE                 → MISE_EN_PAIEMENT
 * REJETEE, A_RECYCLER, MISE_EN_PAIEMENT → nothing (final for the recipient)
 * DEPOSEE, EN_COURS_ACHEMINEMENT, COMPLETEE → nothing (the supplier's or Chorus Pro's own statuses)
 * </pre>
 * A recipient never sets DEPOSEE, EN_COURS_ACHEMINEMENT or COMPLETEE. REJETEE and SUSPENDUE need a motif
 * (1 to 255 characters), MANDATEE a numeroDPMandat.
 */
final class StatusRules {

    static final String DEPOSEE = "DEPOSEE";
    static final String MISE_A_DISPOSITION = "MISE_A_DISPOSITION";
    static final int MAX_MOTIF = 255;

    /** Every status an invoice may have, in lifecycle order. */
    static final List<String> ALL = List.of(DEPOSEE, "EN_COURS_ACHEMINEMENT", MISE_A_DISPOSITION, "A_RECYCLER",
            "SUSPENDUE", "REJETEE", "SERVICE_FAIT", "MANDATEE", "MISE_A_DISPOSITION_COMPTABLE", "COMPTABILISEE",
            "MISE_EN_PAIEMENT", "COMPLETEE");

    private static final Map<String, List<String>> TRANSITIONS = Map.of(
            MISE_A_DISPOSITION, List.of("A_RECYCLER", "SUSPENDUE", "REJETEE", "SERVICE_FAIT", "MANDATEE",
                    "MISE_A_DISPOSITION_COMPTABLE"),
            "SUSPENDUE", List.of(MISE_A_DISPOSITION, "REJETEE", "SERVICE_FAIT", "MANDATEE", "MISE_A_DISPOSITION_COMPTABLE"),
            "SERVICE_FAIT", List.of("MANDATEE", "MISE_A_DISPOSITION_COMPTABLE", "SUSPENDUE", "REJETEE"),
            "MANDATEE", List.of("MISE_A_DISPOSITION_COMPTABLE", "COMPTABILISEE", "MISE_EN_PAIEMENT"),
            "MISE_A_DISPOSITION_COMPTABLE", List.of("MANDATEE", "COMPTABILISEE", "MISE_EN_PAIEMENT", "REJETEE", "SUSPENDUE"),
            "COMPTABILISEE", List.of("MISE_EN_PAIEMENT"));

    /** A new status refused: the codeRetour and libelle of the business error (answered with HTTP 200). */
    record Refusal(int codeRetour, String libelle) {
    }

    static final int FACTURE_INCONNUE = 20001;
    static final int STATUT_NON_AUTORISE = 20003;
    static final int MOTIF_INVALIDE = 20004;
    static final int NUMERO_DP_MANDAT_MANQUANT = 20005;

    private StatusRules() {
    }

    /** The statuses the recipient may set from {@code current} (empty for an unknown or final status). */
    static List<String> allowedFrom(String current) {
        return TRANSITIONS.getOrDefault(current, List.of());
    }

    /** Null when the recipient may move an invoice from {@code current} to {@code next} with these fields. */
    static Refusal check(String current, String next, String motif, String numeroDPMandat) {
        if (next == null || !allowedFrom(current).contains(next)) {
            return new Refusal(STATUT_NON_AUTORISE,
                    "Statut non autorisé : " + next + " depuis " + current + " (autorisés : " + allowedFrom(current) + ")");
        }
        if (next.equals("REJETEE") || next.equals("SUSPENDUE")) {
            if (motif == null || motif.isBlank()) {
                return new Refusal(MOTIF_INVALIDE, "Le motif est obligatoire pour le statut " + next);
            }
            if (motif.codePointCount(0, motif.length()) > MAX_MOTIF) {
                return new Refusal(MOTIF_INVALIDE, "Le motif dépasse " + MAX_MOTIF + " caractères");
            }
        }
        if (next.equals("MANDATEE") && (numeroDPMandat == null || numeroDPMandat.isBlank())) {
            return new Refusal(NUMERO_DP_MANDAT_MANQUANT, "Le numéro de DP ou de mandat est obligatoire pour le statut MANDATEE");
        }
        return null;
    }
}
