package fr.passerelle.intake;

import java.text.Normalizer;
import java.util.Optional;

import fr.passerelle.document.Rejection;

/**
 * A file name is data from outside: it is kept only as a base name without path, control
 * characters or reserved names, and is never used to build a path on disk.
 */
public final class FileNames {

    static final int MAX_LENGTH = 255;

    private FileNames() {
    }

    /** Why the name is refused, or empty when it is acceptable as it is. */
    public static Optional<Rejection> check(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of(refuse("aucun nom de fichier n'a été donné"));
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of(refuse("le nom dépasse " + MAX_LENGTH + " caractères"));
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (isControl(ch)) {
                return Optional.of(refuse("le nom contient un caractère de contrôle (position " + (i + 1) + ")"));
            }
            if (isInvisible(ch)) {
                // U+202E and its kind make "facture\u202Elmx.pdf" display as "facturefdp.xml"
                return Optional.of(refuse(String.format("le nom contient un caractère invisible ou d'inversion du sens "
                        + "d'écriture (U+%04X, position %d) qui fausserait son affichage", (int) ch, i + 1)));
            }
        }
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..") || name.contains(":")) {
            return Optional.of(refuse("le nom contient un chemin ('/', '\\\\', ':' ou '..') ; seul le nom du fichier est "
                    + "accepté"));
        }
        return Optional.empty();
    }

    /** A name as it is shown: Unicode composed form (the same accented name from any system). */
    public static String normalise(String name) {
        return name == null ? null : Normalizer.normalize(name, Normalizer.Form.NFC);
    }

    /** A harmless version of any name, to show and store alongside a refusal. */
    public static String sanitise(String name) {
        if (name == null || name.isBlank()) {
            return "sans-nom";
        }
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < name.length() && safe.length() < MAX_LENGTH; i++) {
            char ch = name.charAt(i);
            boolean bad = isControl(ch) || isInvisible(ch) || ch == '/' || ch == '\\' || ch == ':';
            safe.append(bad ? '_' : ch);
        }
        String s = safe.toString();
        return s.equals(".") || s.equals("..") ? "sans-nom" : s;
    }

    private static boolean isControl(char ch) {
        return ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0) || ch == 0x2028 || ch == 0x2029;
    }

    /** Format characters: bidi overrides and isolates, zero-width marks, BOM, soft hyphen... */
    private static boolean isInvisible(char ch) {
        return Character.getType(ch) == Character.FORMAT;
    }

    private static Rejection refuse(String why) {
        return new Rejection("intake", "INTAKE-FILENAME", "nom du fichier",
                "Nom de fichier refusé : " + why + ". Renommez le fichier (lettres, chiffres, '-', '_', '.') et "
                        + "envoyez-le de nouveau.");
    }
}
