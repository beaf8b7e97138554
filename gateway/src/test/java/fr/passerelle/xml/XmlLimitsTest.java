package fr.passerelle.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import fr.passerelle.settings.Settings;

/** Invoices and PES share the structural limits; each has its own element count and text size. */
class XmlLimitsTest {

    @Test
    void pesTakesTheSharedLimitsAndItsOwnCountAndText() {
        Settings settings = Settings.load(Path.of("config"), Map.of(), Map.of(
                "passerelle.limits.xml.max-depth", "40",
                "passerelle.limits.xml.max-text-size", "1MB",
                "passerelle.limits.pes.max-text-size", "64MB",
                "passerelle.limits.pes.max-elements", "7"));

        XmlLimits invoice = XmlLimits.invoice(settings::getSize);
        XmlLimits pes = XmlLimits.pes(settings::getSize);

        assertThat(invoice.maxDepth()).isEqualTo(40);
        assertThat(pes.maxDepth()).isEqualTo(40);
        assertThat(invoice.maxTextSize()).isEqualTo(1L << 20);
        assertThat(pes.maxTextSize()).isEqualTo(64L << 20);
        assertThat(pes.maxElements()).isEqualTo(7);
        assertThat(invoice.maxElements()).isEqualTo(XmlLimits.INVOICE.maxElements());
        assertThat(pes.maxAttributes()).isEqualTo(XmlLimits.PES.maxAttributes());
    }
}
