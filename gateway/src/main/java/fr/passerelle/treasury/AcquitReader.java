package fr.passerelle.treasury;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import fr.passerelle.pes.PesSchemas;

/**
 * Reads a PES_ACQUIT (acquittement autonome V2, namespace …/Rev0/retour/v2; the older V1 in
 * …/Rev0/retour is read too) leniently, in one streaming pass: schema deviations become warnings,
 * only a file that is not an acquittement at all is refused.
 */
public final class AcquitReader {

    private AcquitReader() {
    }

    /** Sets the XML limits of every later read of a return (acquittement and PES_Retour), from passerelle.limits.*. */
    public static void limits(fr.passerelle.xml.XmlLimits limits) {
        ReturnXml.limits(limits);
    }

    public static Acquittement read(Path file) throws IOException, ReturnFileException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Reads the stream to its end; does not close it. */
    public static Acquittement read(InputStream in) throws IOException, ReturnFileException {
        AcquitHandler h = new AcquitHandler();
        ReturnXml.parse(in, PesSchemas.acquit(), h);
        if (h.nomFic == null) {
            throw new ReturnFileException(ReturnFileException.NOMFIC_MISSING, "L'acquittement ne porte pas de NomFic "
                    + "(Enveloppe/Parametres/NomFic) : impossible de savoir à quel flux envoyé il répond.", null, null, null);
        }
        return new Acquittement(h.nomFic, h.typFic, h.idPost, h.idColl, h.codCol, h.codBud, h.libelleColBud,
                ReturnXml.date(h.dteStr), h.items, h.warnings.list());
    }

    private static final class AcquitHandler extends ReturnXml.Handler {
        String nomFic;
        String typFic;
        String idPost;
        String idColl;
        String codCol;
        String codBud;
        String libelleColBud;
        String dteStr;
        final List<AckItem> items = new ArrayList<>();

        // the ElementACQUIT being read
        boolean inItem;
        String domain;
        String etat;
        String numBord;
        String exerciceBord;
        String idUnique;
        String idMarche;
        List<AckError> errors;
        String numPiece;
        String numLigne;
        // the Erreur being read (V1 puts NumAnoAck / LibelleAnoAck directly in ElementACQUIT)
        String code;
        String libelle;

        @Override
        void root(String namespace, String localName) throws ReturnXml.Refusal {
            if (!localName.equals("PES_ACQUIT")) {
                throw ReturnXml.refusal(ReturnFileException.ROOT, "Ce fichier n'est pas un acquittement Hélios "
                        + "(PES_ACQUIT) : c'est " + ReturnXml.whatItIs(namespace, localName) + ".", locator);
            }
            if (namespace.equals(ReturnXml.RETOUR_NS)) {
                warnings.mute("Acquittement au format V1 (espace de noms " + ReturnXml.RETOUR_NS
                        + ") : lu, mais non contrôlé par le schéma, qui est celui de la V2.");
            } else if (!namespace.equals(ReturnXml.ACQUIT_NS)) {
                throw ReturnXml.refusal(ReturnFileException.ROOT, "Ce fichier a un élément PES_ACQUIT, mais pas dans "
                        + "l'espace de noms des acquittements Hélios (" + ReturnXml.ACQUIT_NS + ") : il n'a pas été lu.",
                        locator);
            }
        }

        @Override
        void open(String name, String parent) {
            switch (name) {
                case "ElementACQUIT" -> {
                    inItem = true;
                    domain = etat = numBord = exerciceBord = idUnique = idMarche = numPiece = numLigne = null;
                    code = libelle = null;
                    errors = new ArrayList<>();
                }
                case "DetailPiece" -> numPiece = numLigne = null;
                case "DetailLigne" -> numLigne = null;
                case "Erreur" -> code = libelle = null;
                default -> {
                }
            }
        }

        @Override
        void close(String name, String parent, String value) {
            if (!inItem) {
                header(name, parent, value);
                return;
            }
            switch (name) {
                case "DomaineAck" -> domain = value;
                case "EtatAck" -> etat = value;
                case "NumBord" -> numBord = ReturnXml.blankToNull(value);
                case "ExerciceBord" -> exerciceBord = ReturnXml.blankToNull(value);
                case "IdUnique" -> idUnique = ReturnXml.blankToNull(value);
                case "IdMarche" -> idMarche = ReturnXml.blankToNull(value);
                case "NumPiece" -> numPiece = ReturnXml.blankToNull(value);
                case "NumLigne" -> numLigne = ReturnXml.blankToNull(value);
                case "NumAnoAck" -> code = ReturnXml.blankToNull(value);
                case "LibelleAnoAck" -> libelle = ReturnXml.blankToNull(value);
                case "Erreur" -> errors.add(new AckError(numPiece, numLigne, code, libelle));
                case "DetailLigne" -> numLigne = null;
                case "DetailPiece" -> numPiece = numLigne = null;
                case "ElementACQUIT" -> {
                    if (code != null || libelle != null) { // V1: one anomaly, flat in the element
                        errors.add(new AckError(numPiece, numLigne, code, libelle));
                    }
                    int d = domainNumber(domain);
                    items.add(new AckItem(d, AckItem.domainLabel(d), "1".equals(etat), numBord, exerciceBord,
                            idUnique, idMarche, errors));
                    inItem = false;
                }
                default -> {
                }
            }
            if (name.equals("Erreur")) {
                code = libelle = null;
            }
        }

        private void header(String name, String parent, String value) {
            String v = ReturnXml.blankToNull(value);
            if ("Parametres".equals(parent)) {
                switch (name) {
                    case "NomFic" -> nomFic = v;
                    case "TypFic" -> typFic = v;
                    default -> {
                    }
                }
            } else if ("EnTetePES".equals(parent)) {
                switch (name) {
                    case "DteStr" -> dteStr = v;
                    case "IdPost" -> idPost = v;
                    case "IdColl" -> idColl = v;
                    case "CodCol", "CodColl" -> codCol = v;
                    case "CodBud" -> codBud = v;
                    case "LibelleColBud" -> libelleColBud = v;
                    default -> {
                    }
                }
            }
        }

        private static int domainNumber(String value) {
            try {
                return value == null ? -1 : Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
