package fr.passerelle.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.activation.DataHandler;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * multipart/form-data uploads: the Vert.x HTTP server stores each uploaded file and Camel hands
 * it over as an attachment; the form part is expected to be named "file" (any single file part is
 * accepted).
 */
public final class MultipartReader {

    /** An uploaded file: the name the client gave and its content. */
    public record Part(String fileName, InputStream content) {
    }

    public Part filePart(Exchange exchange) throws IOException {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            return null;
        }
        AttachmentMessage message = exchange.getMessage(AttachmentMessage.class);
        if (message == null || !message.hasAttachments()) {
            throw new ApiException(400, "no-file", "Requête multipart sans fichier : joignez la facture dans un "
                    + "champ de type fichier nommé « file ».");
        }
        Map<String, DataHandler> attachments = message.getAttachments();
        DataHandler handler = attachments.get("file");
        if (handler == null) {
            if (attachments.size() != 1) {
                throw new ApiException(400, "no-file", "Joignez un seul fichier, dans le champ « file ».");
            }
            handler = attachments.values().iterator().next();
        }
        return new Part(handler.getName(), handler.getInputStream());
    }
}
