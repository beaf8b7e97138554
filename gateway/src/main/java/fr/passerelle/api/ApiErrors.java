package fr.passerelle.api;

import org.apache.camel.Exchange;

/** The answer to any failure of an API route (routes/api.yaml, api-errors): JSON, never a stack trace. */
public final class ApiErrors {

    public void error(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = 500;
        String code = "internal-error";
        String message = ApiProblem.INTERNAL_ERROR;
        if (failure instanceof ApiException api) {
            status = api.status();
            code = api.code();
            message = api.getMessage();
        } else if (failure instanceof jakarta.jms.JMSException || failure instanceof org.springframework.jms.JmsException) {
            status = 503;
            code = "queue-unavailable";
            message = "La file de traitement est momentanément indisponible : réessayez dans quelques minutes.";
        }
        ApiAnswers.bytes(exchange, status, ApiProblem.MEDIA_TYPE, ApiProblem.json(status, code, message));
    }
}
