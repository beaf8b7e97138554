package fr.passerelle.pes;

import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Set;

/**
 * One pièce justificative to carry in PES_PJ, checked against the schema's formats when built (so
 * that a produced flow is always valid; the message names the element). The content is opened only
 * when the flow is written, and streamed.
 *
 * @param idUnique    PJ/IdUnique: 1–50 letters and digits, unique forever (see {@link PesNames#idUnique})
 * @param nomPj       the file name, with an extension of 2–4 letters or digits, at most 100 characters
 * @param typePj      TypePJ code (null: {@link #TYPE_DEPENSE})
 * @param description at most 250 characters on one line (see {@link #invoiceDescription})
 * @param mimeType    Fichier/@MIMEType, e.g. application/pdf
 * @param content     opens the original file (not gzipped, not base64: the writer does both)
 * @param size        the original's size in bytes (for batching estimates)
 */
public record PjInput(String idUnique, String nomPj, String typePj, String description, String mimeType,
                      IoSupplier<InputStream> content, long size) {

    /**
     * 003 "Dépense": the type for a supplier invoice that justifies a mandat (domain 01 Dépense;
     * Class_PJ.xsd allows RefCompta Domaine 01 with 003, 004, 005 or 006 only). Not 006 "PES Facture",
     * which is the DGFiP's own structured PES_Facture XML, and not 007 "Facture ORMC CPP", which is an
     * invoice the commune ISSUES (recette, domain 02, ORMC through Chorus Pro) — not a supplier's.
     */
    public static final String TYPE_DEPENSE = "003";

    /** The TypePJ enumeration of CommunPES.xsd (v5.17). */
    public static final Set<String> TYPES = Set.of("001", "002", "003", "004", "005", "006", "007", "008", "009", "010",
            "011", "012", "013");

    private static final DateTimeFormatter FRENCH_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    public PjInput {
        typePj = typePj == null ? TYPE_DEPENSE : typePj;
        if (!PesNames.isValidIdUnique(idUnique)) {
            throw new IllegalArgumentException("IdUnique : « " + idUnique + " » n'est pas valide (1 à 50 lettres ou chiffres, "
                    + "sans tiret ni espace, pas uniquement des zéros)");
        }
        if (nomPj == null || nomPj.length() > 100 || !nomPj.matches(".+\\.[A-Za-z0-9]{2,4}")) {
            throw new IllegalArgumentException("NomPJ : « " + nomPj + " » n'est pas valide (au plus 100 caractères sur une ligne, "
                    + "avec une extension de 2 à 4 lettres ou chiffres, par ex. facture.pdf)");
        }
        if (!TYPES.contains(typePj)) {
            throw new IllegalArgumentException("TypePJ : « " + typePj + " » n'est pas un type de PJ du PES (001 à 013)");
        }
        if (description == null || description.isEmpty() || description.length() > 250
                || !description.matches("[^\\r\\n]*[^0\\r\\n][^\\r\\n]*") || description.equals(" ") || description.equals(".")) {
            throw new IllegalArgumentException("Description : « " + description + " » n'est pas valide (1 à 250 caractères "
                    + "sur une seule ligne)");
        }
        if (mimeType == null || !mimeType.matches("\\S+")) {
            throw new IllegalArgumentException("MIMEType : « " + mimeType + " » n'est pas un type MIME (ex. application/pdf)");
        }
        Objects.requireNonNull(content, "content");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }

    /**
     * "Facture F-2026-001 du 22/11/2026" (and the supplier's name if given), on one line and cut
     * to the 250 characters the schema allows.
     */
    public static String invoiceDescription(String invoiceNumber, LocalDate issueDate, String supplierName) {
        StringBuilder b = new StringBuilder("Facture ").append(invoiceNumber == null ? "sans numéro" : invoiceNumber);
        if (issueDate != null) {
            b.append(" du ").append(FRENCH_DATE.format(issueDate));
        }
        if (supplierName != null && !supplierName.isBlank()) {
            b.append(" - ").append(supplierName);
        }
        String oneLine = b.toString().replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 250 ? oneLine : oneLine.substring(0, 250).strip();
    }
}
