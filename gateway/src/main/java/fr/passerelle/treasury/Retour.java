package fr.passerelle.treasury;

import java.util.List;

/**
 * A PES_Retour as read: its header (CodColl in this schema, exposed as codCol like the other PES),
 * TypRestit (01 rejet, 02 périodique; free text of two characters in the schema) and the state of
 * every piece, dépense and recette, with the schema deviations as warnings.
 */
public record Retour(String nomFic, String idPost, String idColl, String codCol, String codBud, String typRestit,
        List<PieceState> pieces, List<String> schemaWarnings) {

    public Retour {
        pieces = pieces == null ? List.of() : List.copyOf(pieces);
        schemaWarnings = schemaWarnings == null ? List.of() : List.copyOf(schemaWarnings);
    }

    public List<PieceState> rejectedPieces() {
        return pieces.stream().filter(PieceState::rejected).toList();
    }
}
