package fr.passerelle.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.pes.PesHeader;
import fr.passerelle.pes.PesNames;
import fr.passerelle.pes.PjFlowWriter;
import fr.passerelle.pes.PjInput;

/** The ledger finds each invoice in the PES flows the treasury received, and counts a second delivery. */
class DeliveryLedgerTest {

    private static final PesHeader HEADER = new PesHeader("017001", "21750101400013", "100", "01", "Aubeval",
            LocalDate.of(2026, 12, 5));

    @TempDir
    Path received;

    @Test
    void countsEveryInvoiceOfEveryDeliveredFlowByItsContent() throws Exception {
        byte[] a = "<Invoice>A</Invoice>".getBytes(StandardCharsets.UTF_8);
        byte[] b = "<Invoice>B</Invoice>".getBytes(StandardCharsets.UTF_8);
        byte[] c = "<Invoice>C</Invoice>".getBytes(StandardCharsets.UTF_8);
        flow("1-PESALR2_21750101400013_261205_001.xml", 1, a, b);
        flow("2-PESALR2_21750101400013_261205_002.xml", 3, c);
        flow("3-PESALR2_21750101400013_261205_003.xml", 4, b); // b packed again in another flow
        Files.writeString(received.resolve("4-PESALR2_21750101400013_261205_004.xml"), "<not a PES"); // unreadable

        DeliveryLedger.Count count = DeliveryLedger.count(received, 4);

        assertThat(count.files()).isEqualTo(4);
        assertThat(count.pjs()).isEqualTo(4);
        assertThat(count.timesDelivered(InvoiceStream.sha256(a))).isEqualTo(1);
        assertThat(count.timesDelivered(InvoiceStream.sha256(b))).isEqualTo(2);
        assertThat(count.timesDelivered(InvoiceStream.sha256(c))).isEqualTo(1);
        assertThat(count.timesDelivered(InvoiceStream.sha256("other".getBytes(StandardCharsets.UTF_8)))).isZero();
        assertThat(count.unreadable()).singleElement().asString().startsWith("4-PESALR2");
    }

    private void flow(String name, int firstId, byte[]... invoices) throws IOException {
        List<PjInput> pjs = new java.util.ArrayList<>();
        int id = firstId;
        for (byte[] invoice : invoices) {
            pjs.add(new PjInput(PesNames.idUnique("217501014", id++), "facture.xml", null, "Facture", "application/xml",
                    () -> new ByteArrayInputStream(invoice), invoice.length));
        }
        try (var out = Files.newOutputStream(received.resolve(name))) {
            PjFlowWriter.write(out, HEADER, PesNames.nomFic("21750101400013", HEADER.dteStr(), firstId), pjs);
        }
    }
}
