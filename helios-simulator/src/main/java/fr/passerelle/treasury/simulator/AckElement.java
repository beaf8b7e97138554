package fr.passerelle.treasury.simulator;

/**
 * One ElementACQUIT: a domain (0 technique, 1 signature, 4 PJ, 5 dépense, 6 recette), OK or KO,
 * the item (NumBord + ExerciceBord, or IdUnique; null when none) and, when KO, the error.
 */
record AckElement(int domaine, boolean ok, String numBord, String exerciceBord, String idUnique, String numAnoAck,
                  String libelleAnoAck) {

    static AckElement ko(int domaine, String numAnoAck, String libelle) {
        return new AckElement(domaine, false, null, null, null, numAnoAck, libelle);
    }

    static AckElement pj(String idUnique, String numAnoAck, String libelle) {
        return new AckElement(4, numAnoAck == null, null, null, idUnique, numAnoAck, libelle);
    }

    static AckElement bordereau(int domaine, String numBord, String exercice, String numAnoAck, String libelle) {
        return new AckElement(domaine, numAnoAck == null, numBord, exercice, null, numAnoAck, libelle);
    }
}
