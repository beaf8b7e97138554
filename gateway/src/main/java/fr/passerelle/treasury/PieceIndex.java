package fr.passerelle.treasury;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import fr.passerelle.xml.SafeXml;

/**
 * What a delivery needs of a signed PES_Aller, in one streaming pass: the EnTetePES values of the
 * SITE P_MSG command, and the pieces it carries (dépense or recette, exercice, bordereau, piece, and the PJ each
 * references): what a later PES_Retour names its piece states by, so that they can be attached to
 * the flow — and, through PJRef/IdUnique, to the invoice the piece pays. One streaming pass.
 */
public final class PieceIndex {

    public record Piece(String domain, String exer, String idBord, String idPce, List<String> pjRefs) {
    }

    /** The flow's EnTetePES (IdPost, CodCol, CodBud) and its pieces. */
    public record Contents(String idPost, String codCol, String codBud, List<Piece> pieces) {
    }

    private PieceIndex() {
    }

    public static Contents read(InputStream in) throws XMLStreamException {
        List<Piece> pieces = new ArrayList<>();
        String idPost = null;
        String codCol = null;
        String codBud = null;
        boolean inHeader = false;
        XMLStreamReader r = SafeXml.stax().createXMLStreamReader(in);
        try {
            String domain = null;
            String exer = null;
            String idBord = null;
            String idPce = null;
            List<String> refs = null;
            boolean inPjRef = false;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    switch (name) {
                        case "EnTetePES" -> inHeader = true;
                        case "IdPost" -> idPost = inHeader ? value(r, idPost) : idPost;
                        case "CodCol" -> codCol = inHeader ? value(r, codCol) : codCol;
                        case "CodBud" -> codBud = inHeader ? value(r, codBud) : codBud;
                        case "PES_DepenseAller" -> domain = PieceState.DEPENSE;
                        case "PES_RecetteAller" -> domain = PieceState.RECETTE;
                        case "Bordereau" -> {
                            exer = null;
                            idBord = null;
                        }
                        case "Exer" -> exer = domain == null ? exer : value(r, exer);
                        case "IdBord" -> idBord = domain == null ? idBord : value(r, idBord);
                        case "Piece" -> {
                            idPce = null;
                            refs = domain == null ? null : new ArrayList<>();
                        }
                        case "IdPce" -> idPce = refs == null ? idPce : value(r, idPce);
                        case "PJRef" -> inPjRef = true;
                        case "IdUnique" -> {
                            if (inPjRef && refs != null) {
                                String v = r.getAttributeValue(null, "V");
                                if (v != null && !refs.contains(v)) {
                                    refs.add(v);
                                }
                            }
                        }
                        default -> {
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "EnTetePES" -> inHeader = false;
                        case "PJRef" -> inPjRef = false;
                        case "Piece" -> {
                            if (refs != null && idPce != null) {
                                pieces.add(new Piece(domain, exer, idBord, idPce, List.copyOf(refs)));
                            }
                            refs = null;
                        }
                        case "PES_DepenseAller", "PES_RecetteAller" -> domain = null;
                        default -> {
                        }
                    }
                }
            }
        } finally {
            r.close();
        }
        return new Contents(idPost, codCol, codBud, List.copyOf(pieces));
    }

    private static String value(XMLStreamReader r, String current) {
        String v = r.getAttributeValue(null, "V");
        return v == null ? current : v;
    }
}
