package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.gouv.minefi.cp.helios.pes_v2.rev0.aller.PESAller;
import fr.gouv.minefi.cp.helios.pes_v2.rev0.aller.TPESPJs;
import fr.passerelle.Samples;

class PjFlowWriterTest {

    private static final PesHeader HEADER = new PesHeader("031007", "24310063300011", "100", "00", "Sicoval",
            LocalDate.of(2026, 11, 22));

    @TempDir
    Path dir;

    @Test
    void onePjFlowIsValidAndItsContentDecodesBackToTheInvoice() throws Exception {
        Path invoice = Samples.sample("invoices/ubl/ubl-tc434-example1.xml");
        String idUnique = PesNames.idUnique("243100633", 1);
        PjInput pj = new PjInput(idUnique, "ubl-tc434-example1.xml", null,
                PjInput.invoiceDescription("TOSL108", LocalDate.of(2013, 6, 30), "SellerCompany"), "application/xml",
                () -> Files.newInputStream(invoice), Files.size(invoice));
        Path flow = dir.resolve(PesNames.fileName(PesNames.nomFic("24310063300011", HEADER.dteStr(), 1)));

        PjFlowWriter.write(flow, HEADER, PesNames.nomFic("24310063300011", HEADER.dteStr(), 1), List.of(pj));

        assertThat(PesSchemas.validate(PesSchemas.aller(), flow).errors()).isEmpty();
        assertThat(XmlValues.declaredEncoding(flow)).isEqualTo("ISO-8859-1");
        assertThat(Files.readString(flow, StandardCharsets.ISO_8859_1))
                .startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><n:PES_Aller xmlns:n=\"" + PesXml.ALLER_NS + "\">")
                .contains("<TypFic V=\"PESALR2\"/><NomFic V=\"PESALR2_24310063300011_261122_001\"/>")
                .contains("<EnTetePES><DteStr V=\"2026-11-22\"/><IdPost V=\"031007\"/><IdColl V=\"24310063300011\"/>"
                        + "<CodCol V=\"100\"/><CodBud V=\"00\"/><LibelleColBud V=\"Sicoval\"/></EnTetePES>");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(flow); // no .part left behind
        }

        PESAller pes = PesModel.unmarshalAller(flow);
        TPESPJs.PJ read = pes.getPESPJ().getPJ().get(0);
        assertThat(read.getIdUnique().getV()).isEqualTo(idUnique);
        assertThat(read.getNomPJ().getV()).isEqualTo("ubl-tc434-example1.xml");
        assertThat(read.getTypePJ().getV()).isEqualTo("003");
        assertThat(read.getDescription().getV()).isEqualTo("Facture TOSL108 du 30/06/2013 - SellerCompany");
        assertThat(read.getContenu().getFichier().getMIMEType()).isEqualTo("application/xml");
        assertThat(gunzip(read.getContenu().getFichier().getValue())).isEqualTo(Files.readAllBytes(invoice));

        PesFacts facts = PesFacts.read(flow);
        assertThat(facts.pjIdUniques()).extracting(PesFacts.Value::value).containsExactly(idUnique);
    }

    @Test
    void everySampleInvoiceInOneFlow() throws Exception {
        List<Path> invoices;
        try (Stream<Path> files = Files.walk(Samples.sample("invoices"))) {
            invoices = files.filter(Files::isRegularFile).sorted().toList();
        }
        List<PjInput> pjs = new ArrayList<>();
        long sequence = 1;
        for (Path invoice : invoices) {
            String name = invoice.getFileName().toString();
            pjs.add(new PjInput(PesNames.idUnique("243100633", sequence++), name, PjInput.TYPE_DEPENSE,
                    PjInput.invoiceDescription(name, LocalDate.of(2026, 11, 2), null),
                    name.endsWith(".pdf") ? "application/pdf" : "application/xml",
                    () -> Files.newInputStream(invoice), Files.size(invoice)));
        }
        Path flow = dir.resolve("several.xml");

        PjFlowWriter.write(flow, HEADER, "PESALR2_24310063300011_261122_002", pjs);

        assertThat(PesSchemas.validate(PesSchemas.aller(), flow).errors()).isEmpty();
        List<TPESPJs.PJ> read = PesModel.unmarshalAller(flow).getPESPJ().getPJ();
        assertThat(read).hasSize(invoices.size()).hasSizeGreaterThan(5);
        for (int i = 0; i < invoices.size(); i++) {
            assertThat(read.get(i).getNomPJ().getV()).isEqualTo(invoices.get(i).getFileName().toString());
            assertThat(gunzip(read.get(i).getContenu().getFichier().getValue()))
                    .as(invoices.get(i).toString()).isEqualTo(Files.readAllBytes(invoices.get(i)));
        }
        assertThat(new RelayCheck().check(flow, Communes.sicoval(), s -> false, s -> false)).isEmpty();
    }

    @Test
    void charactersOutsideLatin1BecomeReferencesAndReadBack() throws Exception {
        String description = "Facture n° 12 – œuvre d'art, 1 000 €"; // –, œ and € are not in ISO-8859-1
        PjInput pj = new PjInput("243100633PSL000000000007", "facture-été.pdf", "003", description, "application/pdf",
                () -> new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
        Path flow = dir.resolve("latin1.xml");

        PjFlowWriter.write(flow, HEADER, "PESALR2_24310063300011_261122_003", List.of(pj));

        assertThat(PesSchemas.validate(PesSchemas.aller(), flow).errors()).isEmpty();
        String text = Files.readString(flow, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("n° 12").contains("facture-été.pdf").doesNotContain("?uvre");
        TPESPJs.PJ read = PesModel.unmarshalAller(flow).getPESPJ().getPJ().get(0);
        assertThat(read.getDescription().getV()).isEqualTo(description);
        assertThat(read.getNomPJ().getV()).isEqualTo("facture-été.pdf");
    }

    @Test
    void anEmptyFileIsStillAValidGzip() throws Exception {
        PjInput pj = new PjInput("243100633PSL000000000008", "vide.txt", "003", "Fichier vide", "text/plain",
                () -> InputStream.nullInputStream(), 0);
        Path flow = dir.resolve("empty.xml");

        PjFlowWriter.write(flow, HEADER, "PESALR2_24310063300011_261122_004", List.of(pj));

        assertThat(PesSchemas.validate(PesSchemas.aller(), flow).errors()).isEmpty();
        assertThat(gunzip(PesModel.unmarshalAller(flow).getPESPJ().getPJ().get(0).getContenu().getFichier().getValue()))
                .isEmpty();
    }

    @Test
    void theCallersStreamIsLeftOpenAndAFailedPjSurfaces() throws Exception {
        PjInput broken = new PjInput("243100633PSL000000000009", "f.pdf", "003", "Illisible", "application/pdf",
                () -> {
                    throw new IOException("disk gone");
                }, 10);
        class Tracking extends OutputStream {
            boolean closed;

            @Override
            public void write(int b) {
            }

            @Override
            public void close() {
                closed = true;
            }
        }
        Tracking out = new Tracking();

        assertThatThrownBy(() -> PjFlowWriter.write(out, HEADER, "PESALR2_24310063300011_261122_005", List.of(broken)))
                .hasMessageContaining("disk gone");
        assertThat(out.closed).isFalse();
    }

    @Test
    void aPjThatCannotBeReadLeavesNoFlowBehind() throws Exception {
        PjInput good = new PjInput("243100633PSL000000000010", "a.pdf", "003", "Lisible", "application/pdf",
                () -> new ByteArrayInputStream(new byte[] {1}), 1);
        PjInput broken = new PjInput("243100633PSL000000000011", "b.pdf", "003", "Illisible", "application/pdf",
                () -> new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("read error");
                    }
                }, 10);
        Path flow = dir.resolve("flow.xml");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        assertThatThrownBy(() -> PjFlowWriter.write(flow, HEADER, "PESALR2_24310063300011_261122_006", List.of(good, broken)))
                .hasMessageContaining("read error");
        assertThatThrownBy(() -> PjFlowWriter.write(out, HEADER, "PESALR2_24310063300011_261122_006", List.of(good, broken)))
                .hasMessageContaining("read error");

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
        assertThat(PesSchemas.validate(PesSchemas.aller(), new ByteArrayInputStream(out.toByteArray())).wellFormed()).isFalse();
    }

    @Test
    void inputsOutsideTheSchemaAreRefusedNamingTheElement() {
        assertThatThrownBy(() -> new PjInput("243100633-1", "f.pdf", null, "d", "application/pdf", InputStream::nullInputStream, 0))
                .hasMessageStartingWith("IdUnique");
        assertThatThrownBy(() -> new PjInput("A".repeat(51), "f.pdf", null, "d", "application/pdf", InputStream::nullInputStream, 0))
                .hasMessageStartingWith("IdUnique");
        assertThatThrownBy(() -> new PjInput("A1", "facture", null, "d", "application/pdf", InputStream::nullInputStream, 0))
                .hasMessageStartingWith("NomPJ");
        assertThatThrownBy(() -> new PjInput("A1", "f.pdf", "014", "d", "application/pdf", InputStream::nullInputStream, 0))
                .hasMessageStartingWith("TypePJ");
        assertThatThrownBy(() -> new PjInput("A1", "f.pdf", null, "ligne 1\nligne 2", "application/pdf",
                InputStream::nullInputStream, 0)).hasMessageStartingWith("Description");
        assertThatThrownBy(() -> new PjInput("A1", "f.pdf", null, "d", "application pdf", InputStream::nullInputStream, 0))
                .hasMessageStartingWith("MIMEType");
    }

    static byte[] gunzip(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }
}
