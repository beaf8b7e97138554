package fr.passerelle.treasury;

/**
 * One anomaly Hélios reports in an acquittement: the piece and line it is about when it came under
 * DetailPiece / DetailLigne (null otherwise), its code (NumAnoAck, e.g. ERREUR_DOUBLON_PJ) and
 * libellé (LibelleAnoAck, usually "numéro - texte").
 */
public record AckError(String numPiece, String numLigne, String code, String libelle) {

    /** "pièce 5432, ligne 2 : ERREUR_AUTRE 2559 - Le code service …" */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (numPiece != null) {
            s.append("pièce ").append(numPiece);
        }
        if (numLigne != null) {
            s.append(s.isEmpty() ? "" : ", ").append("ligne ").append(numLigne);
        }
        if (!s.isEmpty()) {
            s.append(" : ");
        }
        String what = (code == null ? "" : code) + (code != null && libelle != null ? " " : "") + (libelle == null ? "" : libelle);
        return s.append(what.isEmpty() ? "anomalie sans code ni libellé" : what).toString();
    }
}
