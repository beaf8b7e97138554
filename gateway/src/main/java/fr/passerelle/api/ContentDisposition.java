package fr.passerelle.api;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * The Content-Disposition of a download (RFC 6266): {@code attachment; filename="<ASCII>";
 * filename*=UTF-8''<percent-encoded>} (RFC 8187, formerly 5987). The quoted fallback is printable
 * ASCII only, accents dropped, and never holds a quote, a backslash, a control or a bidi
 * character; the encoded name is the stored name without control or bidi characters.
 */
final class ContentDisposition {

    private static final String FALLBACK = "document";

    private ContentDisposition() {
    }

    static String attachment(String fileName) {
        String name = withoutControls(fileName == null ? "" : fileName).strip();
        if (name.isEmpty()) {
            name = FALLBACK;
        }
        return "attachment; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + percentEncoded(name);
    }

    /** Controls (C0, C1, DEL), bidi controls and other invisible format characters removed. */
    static String withoutControls(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT
                        && Character.getType(c) != Character.LINE_SEPARATOR
                        && Character.getType(c) != Character.PARAGRAPH_SEPARATOR)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Printable ASCII: accents dropped (é → e), anything else, quotes and backslashes '_'. */
    static String asciiFallback(String name) {
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            boolean plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
            out.append(plain ? c : '_');
        }
        String fallback = out.toString().strip();
        return fallback.isEmpty() ? FALLBACK : fallback;
    }

    /** RFC 8187 value-chars: attr-char as is, every other UTF-8 byte %XX. */
    static String percentEncoded(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
