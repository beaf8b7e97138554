package fr.passerelle.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/** The second line: parsers made by SafeXml refuse what the pre-pass would, should a caller skip it. */
class SafeXmlLimitsTest {

    private static byte[] deep(int depth) {
        return ("<r>" + "<e>".repeat(depth) + "</e>".repeat(depth) + "</r>").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theDomAndSaxParsersStopAtTheJdkDepth() {
        assertThatThrownBy(() -> SafeXml.documentBuilder().parse(new ByteArrayInputStream(deep(5_000))))
                .isInstanceOf(SAXParseException.class).hasMessageContaining("JAXP");
        assertThatThrownBy(() -> {
            var reader = SafeXml.saxReader();
            reader.setContentHandler(new DefaultHandler());
            reader.parse(new org.xml.sax.InputSource(new ByteArrayInputStream(deep(5_000))));
        }).isInstanceOf(SAXParseException.class).hasMessageContaining("JAXP");
    }

    @Test
    void theScanNamesTheLimitFirst() {
        XmlScan.Result r = XmlScan.scan(new ByteArrayInputStream(deep(5_000)));
        assertThat(r.problem().rule()).isEqualTo("LIMIT-XML-DEPTH");
        XmlScan.Result atTheParserLimit = XmlScan.scan(new ByteArrayInputStream(deep(5_000)),
                new XmlLimits(XmlLimits.PARSER_MAX_DEPTH, 10_000, 64, 1024, 1024, 256));
        assertThat(atTheParserLimit.problem().rule()).isIn("LIMIT-XML-DEPTH", "LIMIT-XML-PARSER");
        assertThat(atTheParserLimit.problem().message()).contains("refusé sans être analysé");
    }

    @Test
    void aLongNameIsRefused() {
        String name = "n".repeat(300);
        XmlScan.Result r = XmlScan.scan(new ByteArrayInputStream(("<" + name + "/>").getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.problem().rule()).isEqualTo("LIMIT-XML-NAME");
    }

    @Test
    void limitsBeyondTheParsersAreAConfigurationError() {
        assertThatThrownBy(() -> new XmlLimits(5_000, 1, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
    }
}
