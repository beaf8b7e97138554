package fr.passerelle.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void anAsciiNameIsQuotedAsItIs() {
        assertThat(ContentDisposition.attachment("facture-1.xml"))
                .isEqualTo("attachment; filename=\"facture-1.xml\"; filename*=UTF-8''facture-1.xml");
    }

    @Test
    void aNonAsciiNameHasAnAsciiFallbackAndItsUtf8Form() {
        String header = ContentDisposition.attachment("Facture été n°3 — Mairie.pdf");
        assertThat(header).startsWith("attachment; filename=\"Facture ete n_3 _ Mairie.pdf\"; filename*=UTF-8''");
        String encoded = header.substring(header.indexOf("UTF-8''") + 7);
        assertThat(encoded).matches("[A-Za-z0-9!#$&+.^_`|~%-]+");
        assertThat(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8))
                .isEqualTo("Facture été n°3 — Mairie.pdf");
    }

    @Test
    void theFallbackNeverHoldsQuotesControlsOrBidiCharacters() {
        String header = ContentDisposition.attachment("a\"b\\c\r\nd\u0000e\u202Efdp.exe\u2066x\u200F.xml");
        String fallback = header.substring(header.indexOf("filename=\"") + 10, header.indexOf("\"; filename*="));
        assertThat(fallback).isEqualTo("a_b_cdefdp.exex.xml");
        assertThat(fallback.chars()).allMatch(c -> c >= 0x20 && c < 0x7f && c != '"');
        assertThat(header).doesNotContain("\r").doesNotContain("\n").doesNotContain("%E2%80%AE")
                .doesNotContain("%00");
    }

    @Test
    void anEmptyOrInvisibleNameBecomesDocument() {
        assertThat(ContentDisposition.attachment("\u202E\u0001")).startsWith("attachment; filename=\"document\"");
        assertThat(ContentDisposition.attachment(null)).startsWith("attachment; filename=\"document\"");
        assertThat(ContentDisposition.attachment("日本.xml")).startsWith("attachment; filename=\"__.xml\"");
    }
}
