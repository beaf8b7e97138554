package fr.passerelle.treasury;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import fr.passerelle.pes.PesSchemas;

/**
 * Reads a PES_Retour (namespace …/Rev0/retour) leniently, in one streaming pass: the header, and
 * for each Bordereau of PES_DepenseRetour / PES_RecetteRetour the state of each piece.
 */
public final class RetourReader {

    private RetourReader() {
    }

    public static Retour read(Path file) throws IOException, ReturnFileException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Reads the stream to its end; does not close it. */
    public static Retour read(InputStream in) throws IOException, ReturnFileException {
        RetourHandler h = new RetourHandler();
        ReturnXml.parse(in, PesSchemas.retour(), h);
        if (h.nomFic == null) {
            throw new ReturnFileException(ReturnFileException.NOMFIC_MISSING, "Le PES_Retour ne porte pas de NomFic "
                    + "(Enveloppe/Parametres/NomFic) : il ne peut pas être rattaché ni archivé sous son nom.", null, null,
                    null);
        }
        return new Retour(h.nomFic, h.idPost, h.idColl, h.codCol, h.codBud, h.typRestit, h.pieces, h.warnings.list());
    }

    private static final class RetourHandler extends ReturnXml.Handler {
        String nomFic;
        String idPost;
        String idColl;
        String codCol;
        String codBud;
        String typRestit;
        final List<PieceState> pieces = new ArrayList<>();

        String domain;
        String exer;
        String idBord;
        // the piece being read
        boolean inPiece;
        boolean inTiers;
        String idPce;
        String etatPce;
        String dtePec;
        String dteRej;
        String dteInst;
        List<String> motifs;
        List<String> pjIds;
        String invoice;
        BigDecimal amount;
        String tiers;
        String tiersNom;
        String tiersPrenom;
        String tiersId;
        // the line being read
        String idLigne;
        List<String> lineMotifs;

        @Override
        void root(String namespace, String localName) throws ReturnXml.Refusal {
            if (!localName.equals("PES_Retour")) {
                throw ReturnXml.refusal(ReturnFileException.ROOT, "Ce fichier n'est pas un PES_Retour d'Hélios : c'est "
                        + ReturnXml.whatItIs(namespace, localName) + ".", locator);
            }
            if (!namespace.equals(ReturnXml.RETOUR_NS)) {
                throw ReturnXml.refusal(ReturnFileException.ROOT, "Ce fichier a un élément PES_Retour, mais pas dans "
                        + "l'espace de noms des retours Hélios (" + ReturnXml.RETOUR_NS + ") : il n'a pas été lu.", locator);
            }
        }

        @Override
        void open(String name, String parent) {
            switch (name) {
                case "PES_DepenseRetour" -> domain = PieceState.DEPENSE;
                case "PES_RecetteRetour" -> domain = PieceState.RECETTE;
                case "Bordereau" -> exer = idBord = null;
                case "Piece" -> {
                    if (domain != null) {
                        inPiece = true;
                        idPce = etatPce = dtePec = dteRej = dteInst = invoice = tiers = null;
                        amount = null;
                        motifs = new ArrayList<>();
                        pjIds = new ArrayList<>();
                    }
                }
                case "LigneDePiece" -> {
                    idLigne = null;
                    lineMotifs = new ArrayList<>();
                }
                case "Tiers" -> {
                    inTiers = true;
                    tiersNom = tiersPrenom = tiersId = null;
                }
                default -> {
                }
            }
        }

        @Override
        void close(String name, String parent, String value) {
            String v = ReturnXml.blankToNull(value);
            if (!inPiece) {
                outside(name, parent, v);
                return;
            }
            if (inTiers) {
                switch (name) {
                    case "Nom" -> tiersNom = "InfoTiers".equals(parent) ? v : tiersNom;
                    case "Prenom" -> tiersPrenom = "InfoTiers".equals(parent) ? v : tiersPrenom;
                    case "IdTiers" -> tiersId = "InfoTiers".equals(parent) ? v : tiersId;
                    case "Tiers" -> {
                        inTiers = false;
                        if (tiers == null && (tiersNom != null || tiersId != null)) {
                            String who = tiersNom == null ? "" : tiersNom + (tiersPrenom == null ? "" : " " + tiersPrenom);
                            tiers = tiersId == null ? who : who.isEmpty() ? tiersId : who + " (" + tiersId + ")";
                        }
                    }
                    default -> {
                    }
                }
                return;
            }
            boolean pieceLevel = "InfoPiece".equals(parent) || "BlocPiece".equals(parent);
            boolean lineLevel = "InfoLignePiece".equals(parent);
            switch (name) {
                case "IdPce" -> idPce = pieceLevel ? v : idPce;
                case "EtatPce" -> etatPce = pieceLevel ? v : etatPce;
                case "DtePcePec" -> dtePec = pieceLevel ? v : dtePec;
                case "DtePceRej" -> dteRej = pieceLevel ? v : dteRej;
                case "DtePceInst" -> dteInst = pieceLevel ? v : dteInst;
                case "IdLigne" -> idLigne = lineLevel ? v : idLigne;
                case "ObsEtat", "Commentaire" -> {
                    if (v != null && pieceLevel) {
                        motifs.add(v);
                    } else if (v != null && lineLevel) {
                        lineMotifs.add(v);
                    }
                }
                case "MtHT" -> {
                    BigDecimal mt = lineLevel ? ReturnXml.amount(v) : null;
                    if (mt != null) {
                        amount = amount == null ? mt : amount.add(mt);
                    }
                }
                // not in the v5.17 Retour schema; named as in PES_Aller, kept if a return carries them
                case "IdUnique" -> {
                    if ("PJRef".equals(parent) && v != null && !pjIds.contains(v)) {
                        pjIds.add(v);
                    }
                }
                case "Facture", "NumFacture" -> invoice = invoice == null ? v : invoice;
                case "LigneDePiece" -> {
                    if (!lineMotifs.isEmpty()) {
                        motifs.add((idLigne == null ? "ligne" : "ligne " + idLigne) + " : " + String.join(" — ", lineMotifs));
                    }
                }
                case "Piece" -> {
                    pieces.add(new PieceState(domain, exer, idBord, idPce, etatPce, PieceState.etatLabel(domain, etatPce),
                            ReturnXml.date(dateOfState()), motifs.isEmpty() ? null : String.join(" ; ", motifs), pjIds,
                            invoice, amount, tiers));
                    inPiece = false;
                }
                default -> {
                }
            }
        }

        private String dateOfState() {
            if (etatPce == null) {
                return null;
            }
            return switch (etatPce) {
                case "01" -> dteInst;
                case "02", "03" -> dtePec;
                case "04" -> dteRej;
                default -> null; // soldé / annulé: the schema gives no date for these
            };
        }

        private void outside(String name, String parent, String v) {
            if ("Parametres".equals(parent) && name.equals("NomFic")) {
                nomFic = v;
            } else if ("EnTetePES".equals(parent)) {
                switch (name) {
                    case "IdPost" -> idPost = v;
                    case "IdColl" -> idColl = v;
                    case "CodColl", "CodCol" -> codCol = v;
                    case "CodBud" -> codBud = v;
                    default -> {
                    }
                }
            } else if (name.equals("TypRestit") && typRestit == null) {
                typRestit = v;
            } else if ("BlocBordereau".equals(parent)) {
                switch (name) {
                    case "Exer" -> exer = v;
                    case "IdBord" -> idBord = v;
                    default -> {
                    }
                }
            } else if (name.equals("PES_DepenseRetour") || name.equals("PES_RecetteRetour")) {
                domain = null;
            }
        }
    }
}
