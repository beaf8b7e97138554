package fr.passerelle.pes;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What a relay needs to know about a PES_Aller, read in one streaming pass (StAX, hardened, text
 * never coalesced: the base64 of the PJ is skipped chunk by chunk, never held): declared encoding,
 * Enveloppe and EnTetePES values, the Bordereaux, the PJ carried in PES_PJ and every PJRef/IdUnique
 * pieces point to. Each value keeps its line, for messages. Values absent from the file are null.
 * <p>Reading does not validate: run {@link PesSchemas#validate} for that.
 */
public record PesFacts(
        String declaredEncoding,
        String rootName,
        Value typFic,
        Value nomFic,
        Value idPost,
        Value idColl,
        Value codCol,
        Value codBud,
        List<Bordereau> bordereaux,
        List<Value> pjIdUniques,
        List<Value> pjRefIdUniques,
        boolean signedWhole,
        List<PieceRef> pieceRefs) {

    /** A piece (mandat or titre, its IdPce) that references a PJ by its IdUnique (PJRef). */
    public record PieceRef(String domain, String idPce, String idUnique) {
    }

    /** A V="…" value and the line it is on. */
    public record Value(String value, int line) {
    }

    /**
     * One Bordereau of PES_DepenseAller or PES_RecetteAller.
     *
     * @param domain "PES_DepenseAller" or "PES_RecetteAller"
     * @param signed true when it carries its own ds:Signature (the usual Hélios signature)
     */
    public record Bordereau(String domain, String id, String exer, String idBord, boolean signed, int line) {
    }

    public PesFacts {
        bordereaux = List.copyOf(bordereaux);
        pjIdUniques = List.copyOf(pjIdUniques);
        pjRefIdUniques = List.copyOf(pjRefIdUniques);
        pieceRefs = List.copyOf(pieceRefs);
    }

    /** The value of an element, or null when it is absent. */
    public static String valueOf(Value v) {
        return v == null ? null : v.value();
    }

    public static PesFacts read(Path file) throws IOException, XMLStreamException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Reads the stream to its end; does not close it. */
    public static PesFacts read(InputStream in) throws XMLStreamException {
        return new Reader().read(new BufferedInputStream(in, 1 << 16));
    }

    /** One pass, keeping only the open elements' names. */
    private static final class Reader {

        private final List<String> open = new ArrayList<>();
        private final List<Bordereau> bordereaux = new ArrayList<>();
        private final List<Value> pjIdUniques = new ArrayList<>();
        private final List<Value> pjRefs = new ArrayList<>();
        private final List<PieceRef> pieceRefs = new ArrayList<>();
        // the piece being read: its IdPce comes before its PJRef (InfoPce)
        private String pieceIdPce;
        private String rootName;
        private Value typFic;
        private Value nomFic;
        private Value idPost;
        private Value idColl;
        private Value codCol;
        private Value codBud;
        private boolean signedWhole;
        // the Bordereau being read
        private String bordDomain;
        private String bordId;
        private String bordExer;
        private String bordIdBord;
        private boolean bordSigned;
        private int bordLine;

        PesFacts read(InputStream in) throws XMLStreamException {
            XMLStreamReader r = PesXml.stax().createXMLStreamReader(in);
            try {
                String encoding = r.getCharacterEncodingScheme();
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw new XMLStreamException("DOCTYPE interdit dans un flux PES", r.getLocation());
                    } else if (event == XMLStreamConstants.START_ELEMENT) {
                        start(r);
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        end();
                    }
                    // text (the base64 of PES_PJ) is never asked for: the reader hands it over in chunks and drops it
                }
                return new PesFacts(encoding, rootName, typFic, nomFic, idPost, idColl, codCol, codBud, bordereaux,
                        pjIdUniques, pjRefs, signedWhole, pieceRefs);
            } finally {
                r.close();
            }
        }

        private void start(XMLStreamReader r) {
            String name = r.getLocalName();
            open.add(name);
            int depth = open.size();
            if (depth == 1) {
                rootName = name;
                return;
            }
            String parent = open.get(depth - 2);
            int line = r.getLocation().getLineNumber();
            if (name.equals("Signature") && PesXml.DSIG_NS.equals(r.getNamespaceURI())) {
                if (depth == 2) {
                    signedWhole = true;
                } else if (parent.equals("Bordereau") && bordId != null) {
                    bordSigned = true;
                }
            } else if (depth == 4 && parent.equals("Parametres") && open.get(1).equals("Enveloppe")) {
                if (name.equals("TypFic")) {
                    typFic = value(r, line);
                } else if (name.equals("NomFic")) {
                    nomFic = value(r, line);
                }
            } else if (depth == 3 && parent.equals("EnTetePES")) {
                switch (name) {
                    case "IdPost" -> idPost = value(r, line);
                    case "IdColl" -> idColl = value(r, line);
                    case "CodCol" -> codCol = value(r, line);
                    case "CodBud" -> codBud = value(r, line);
                    default -> { }
                }
            } else if (depth == 3 && name.equals("Bordereau")
                    && (parent.equals("PES_DepenseAller") || parent.equals("PES_RecetteAller"))) {
                bordDomain = parent;
                bordId = r.getAttributeValue(null, "Id");
                bordId = bordId == null ? "" : bordId;
                bordExer = null;
                bordIdBord = null;
                bordSigned = false;
                bordLine = line;
            } else if (depth == 5 && parent.equals("BlocBordereau") && bordId != null) {
                if (name.equals("Exer")) {
                    bordExer = r.getAttributeValue(null, "V");
                } else if (name.equals("IdBord")) {
                    bordIdBord = r.getAttributeValue(null, "V");
                }
            } else if (name.equals("IdPce") && parent.equals("InfoPce")) {
                pieceIdPce = r.getAttributeValue(null, "V");
            } else if (name.equals("IdUnique")) {
                if (parent.equals("PJRef")) {
                    Value ref = value(r, line);
                    pjRefs.add(ref);
                    if (pieceIdPce != null && bordDomain != null) {
                        pieceRefs.add(new PieceRef(bordDomain, pieceIdPce, ref.value()));
                    }
                } else if (depth == 4 && parent.equals("PJ") && open.get(1).equals("PES_PJ")) {
                    pjIdUniques.add(value(r, line));
                }
            }
        }

        private void end() {
            int depth = open.size();
            if (open.get(depth - 1).equals("Piece")) {
                pieceIdPce = null;
            }
            if (depth == 3 && bordId != null && open.get(2).equals("Bordereau")) {
                bordereaux.add(new Bordereau(bordDomain, bordId, bordExer, bordIdBord, bordSigned, bordLine));
                bordId = null;
            }
            open.remove(depth - 1);
        }

        private static Value value(XMLStreamReader r, int line) {
            String v = r.getAttributeValue(null, "V");
            return new Value(v == null ? "" : v, line);
        }
    }
}
