package fr.passerelle.intake;

import java.util.Optional;

import fr.passerelle.flow.Rejection;

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
            if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0)) {
                return Optional.of(refuse("le nom contient un caractère de contrôle (position " + (i + 1) + ")"));
            }
        }
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..") || name.contains(":")) {
            return Optional.of(refuse("le nom contient un chemin ('/', '\\\\', ':' ou '..') ; seul le nom du fichier est "
                    + "accepté"));
        }
        return Optional.empty();
    }

    /** A harmless version of any name, to show and store alongside a refusal. */
    public static String sanitise(String name) {
        if (name == null || name.isBlank()) {
            return "sans-nom";
        }
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < name.length() && safe.length() < MAX_LENGTH; i++) {
            char ch = name.charAt(i);
            boolean bad = ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0) || ch == '/' || ch == '\\' || ch == ':';
            safe.append(bad ? '_' : ch);
        }
        String s = safe.toString();
        return s.equals(".") || s.equals("..") ? "sans-nom" : s;
    }

    private static Rejection refuse(String why) {
        return new Rejection("intake", "INTAKE-FILENAME", "nom du fichier",
                "Nom de fichier refusé : " + why + ". Renommez le fichier (lettres, chiffres, '-', '_', '.') et "
                        + "envoyez-le de nouveau.");
    }
}
