package fr.passerelle.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** How every API answer is written: JSON, or a stored file; never a request header echoed back. */
final class ApiAnswers {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ApiAnswers() {
    }

    /** Request headers (the API key among them) must never be echoed back: the answer starts clean. */
    static void json(Exchange exchange, int status, Object body) throws IOException {
        bytes(exchange, status, "application/json; charset=UTF-8", JSON.writeValueAsBytes(body));
    }

    /** A stored file as the answer, named for the caller's disk. */
    static void file(Exchange exchange, String fileName, String mediaType, Path file) throws IOException {
        bytes(exchange, 200, mediaType, Files.readAllBytes(file));
        exchange.getMessage().setHeader("Content-Disposition", ContentDisposition.attachment(fileName));
    }

    /** Any answer: the request's headers dropped, then the status, the media type and the body. */
    static void bytes(Exchange exchange, int status, String mediaType, byte[] body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, mediaType);
        out.setBody(body);
    }

    /** Stored JSON (a validation report) embedded as it is in an answer. */
    static JsonNode parsed(String json) throws IOException {
        return JSON.readTree(json);
    }
}
