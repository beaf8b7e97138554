package fr.passerelle.chorus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What Chorus Pro hands over for one invoice: the file itself, or a ZIP of the invoice and its
 * attachments. From a ZIP the invoice is taken (the first XML, else the first PDF), read within
 * the 120 MB Chorus Pro itself allows, so that a crafted archive cannot fill the memory.
 */
final class ChorusFiles {

    static final long MAX_BYTES = 120L << 20;

    private ChorusFiles() {
    }

    static byte[] invoiceOf(byte[] downloaded) {
        if (downloaded.length < 4 || downloaded[0] != 'P' || downloaded[1] != 'K') {
            return downloaded;
        }
        byte[] pdf = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(downloaded))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName().toLowerCase(Locale.ROOT);
                if (e.isDirectory()) {
                    continue;
                }
                if (name.endsWith(".xml")) {
                    return read(zip);
                }
                if (name.endsWith(".pdf") && pdf == null) {
                    pdf = read(zip);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Chorus Pro's archive cannot be read", e);
        }
        if (pdf == null) {
            throw new IllegalStateException("Chorus Pro's archive holds no XML or PDF invoice");
        }
        return pdf;
    }

    private static byte[] read(ZipInputStream zip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = zip.read(buffer)) > 0; ) {
            total += n;
            if (total > MAX_BYTES) {
                throw new IOException("an entry of Chorus Pro's archive goes beyond " + (MAX_BYTES >> 20) + " MB");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
