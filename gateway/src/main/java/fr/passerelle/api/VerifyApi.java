package fr.passerelle.api;

import java.io.IOException;
import java.io.InputStream;

import org.apache.camel.Exchange;

import fr.passerelle.signature.PesDocumentException;
import fr.passerelle.signature.PesDocuments;
import fr.passerelle.signature.SignatureVerifier;
import fr.passerelle.signature.VerificationReport;

/** POST /api/v1/verify: the signatures of a posted PES flow, verified; nothing stored. */
public final class VerifyApi {

    /** The largest flow read into memory here; larger ones go to the gateway's verify command. */
    static final int MAX_VERIFY_BYTES = 64 << 20;

    private final ApiRequests requests;

    public VerifyApi(ApiRequests requests) {
        this.requests = requests;
    }

    public void verify(Exchange exchange) throws IOException {
        requests.caller(exchange);
        MultipartReader.Part posted = requests.postedFile(exchange);
        byte[] content;
        try (InputStream body = posted.content()) {
            content = body.readNBytes(MAX_VERIFY_BYTES + 1);
        }
        if (content.length > MAX_VERIFY_BYTES) {
            throw new ApiException(413, "too-large", "Le flux dépasse " + (MAX_VERIFY_BYTES >> 20) + " Mo : vérifiez-le "
                    + "avec la commande verify de la passerelle.");
        }
        String name = posted.fileName();
        VerificationReport report;
        try {
            report = new SignatureVerifier().verify(PesDocuments.parse(content, name), name);
        } catch (PesDocumentException e) {
            throw new ApiException(422, "not-processable", "Le fichier ne peut pas être lu comme un flux PES : "
                    + e.getMessage());
        }
        ApiAnswers.json(exchange, 200, report.toMap());
    }
}
