package fr.passerelle.pdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;

import org.apache.pdfbox.cos.COSStream;
import org.junit.jupiter.api.Test;

class PdfStreamsTest {

    /** A stream whose stored bytes break off after 64 KB (PDFBox's own filters mostly stop quietly instead). */
    private static COSStream brokenOffAfter64Kb() {
        return new COSStream() {
            @Override
            public InputStream createRawInputStream() {
                return new InputStream() {
                    private int left = 64 << 10;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0];
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (left == 0) {
                            throw new IOException("the stream breaks off");
                        }
                        int n = Math.min(len, left);
                        left -= n;
                        return n;
                    }
                };
            }
        };
    }

    @Test
    void aDamagedStreamCountsWhatItGaveBeforeTheDamage() throws IOException {
        assertThat(PdfStreams.decodedLengthUpToDamage(brokenOffAfter64Kb(), 1L << 20)).isEqualTo(64L << 10);
    }

    @Test
    void whatADamagedStreamGaveStillCountsAgainstTheCap() {
        assertThatThrownBy(() -> PdfStreams.decodedLengthUpToDamage(brokenOffAfter64Kb(), 16L << 10))
                .isInstanceOf(PdfStreams.OverCapException.class);
    }
}
