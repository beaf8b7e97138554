package fr.passerelle.pes;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * The names the gateway gives: NomFic (the flow's name, which acknowledgements are matched on) and
 * PJ IdUnique (which Hélios refuses ever to see twice: "1984 – L'identifiant unique de la PJ a déjà
 * été intégré dans HELIOS"). Uniqueness comes from the caller's counters, which must be durable.
 */
public final class PesNames {

    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

    /**
     * Marks the IdUniques this gateway issues, so that they can never collide with those a commune's
     * accounting software issues under the same SIREN (which usually go SIRET + "DEP…").
     */
    static final String ISSUER = "PSL";

    private PesNames() {
    }

    /**
     * NomFic {@code PESALR2_<SIRET or SIREN>_<yymmdd>_<counter>} (counter on at least 3 digits), the
     * convention file names follow too.
     *
     * @param counter the flow's number that day for that commune, from 1
     */
    public static String nomFic(String siretOrSiren, LocalDate date, int counter) {
        if (siretOrSiren == null || !siretOrSiren.matches("\\d{9}|\\d{14}")) {
            throw new IllegalArgumentException("NomFic: a SIRET (14 digits) or SIREN (9) is needed, not " + siretOrSiren);
        }
        if (counter < 1) {
            throw new IllegalArgumentException("NomFic: the counter starts at 1");
        }
        return "PESALR2_" + siretOrSiren + "_" + YYMMDD.format(date) + "_" + String.format("%03d", counter);
    }

    /** The file name a flow is sent under: its NomFic and ".xml". */
    public static String fileName(String nomFic) {
        return nomFic + ".xml";
    }

    /**
     * PJ IdUnique {@code <SIREN>PSL<sequence on 12 digits>}, e.g. 213500010PSL000000000042: 24
     * characters. The schema (Base_Alphanum50) allows letters and digits only — no "-" or "_".
     *
     * @param sequence the commune's PJ sequence number, from a durable counter; never reused
     */
    public static String idUnique(String siren, long sequence) {
        if (siren == null || !siren.matches("\\d{9}")) {
            throw new IllegalArgumentException("IdUnique: a SIREN (9 digits) is needed, not " + siren);
        }
        if (sequence < 1 || sequence > 999_999_999_999L) {
            throw new IllegalArgumentException("IdUnique: the sequence must be between 1 and 999999999999");
        }
        return siren + ISSUER + String.format("%012d", sequence);
    }

    /**
     * A NomPJ the schema accepts, made from a file name as a supplier sent it: last path segment,
     * one line, an extension of 2–4 letters or digits (the original's, or {@code extension} when it
     * has none that fits), at most 100 characters (the base name is cut, never the extension).
     */
    public static String nomPj(String originalName, String extension) {
        if (extension == null || !extension.matches("[A-Za-z0-9]{2,4}")) {
            throw new IllegalArgumentException("NomPJ: the fallback extension must be 2 to 4 letters or digits");
        }
        String name = originalName == null ? "" : originalName.replaceAll(".*[/\\\\]", "")
                .replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        String base = name;
        String ext = extension;
        int dot = name.lastIndexOf('.');
        if (dot > 0 && name.substring(dot + 1).matches("[A-Za-z0-9]{2,4}")) {
            base = name.substring(0, dot).strip();
            ext = name.substring(dot + 1);
        }
        if (base.isEmpty() || base.equals(".")) {
            base = "piece";
        }
        int room = 100 - ext.length() - 1;
        if (base.length() > room) {
            base = base.substring(0, room).strip();
        }
        return base + "." + ext;
    }

    /** What PJ/IdUnique and PJRef/IdUnique accept: 1–50 letters and digits, not only zeros. */
    public static boolean isValidIdUnique(String value) {
        return value != null && value.matches("[0-9a-zA-Z]{1,50}") && !value.matches("0+");
    }
}
