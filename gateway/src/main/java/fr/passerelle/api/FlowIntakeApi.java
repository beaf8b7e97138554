package fr.passerelle.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.intake.IntakeReceipt;
import fr.passerelle.intake.Submission;

/**
 * POST /api/v1/flows (routes/ingest-http.yaml): the posted file becomes a submission for intake,
 * and intake's receipt becomes the answer, after the verdict when the caller asked to ?wait.
 */
public final class FlowIntakeApi {

    private final ApiRequests requests;
    private final FlowStore flows;
    private final VerdictWait verdicts;
    private final Duration maxWait;

    public FlowIntakeApi(ApiRequests requests, FlowStore flows, VerdictWait verdicts, Duration maxWait) {
        this.requests = requests;
        this.flows = flows;
        this.verdicts = verdicts;
        this.maxWait = maxWait;
    }

    /** The file as the raw body (name in X-File-Name or ?name=) or as multipart "file". */
    public Submission submission(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Caller caller = requests.caller(exchange);
        waitParam(in); // a bad ?wait= is refused before the file is taken in, not after
        String communeId = requests.commune(caller, in);
        if (communeId == null) {
            throw new ApiException(400, "commune-required", "Une clé d'exploitation doit préciser la commune "
                    + "destinataire (?commune=<id>).");
        }
        MultipartReader.Part file = requests.postedFile(exchange);
        return new Submission(Submission.HTTP, caller.name(), communeId, file.fileName(), file.content());
    }

    /** The answer to a POST: 201 new flow, 200 same file already received, 422/413 refused. */
    public void receiptResponse(Exchange exchange) throws IOException {
        IntakeReceipt receipt = exchange.getMessage().getBody(IntakeReceipt.class);
        Duration wait = waitParam(exchange.getMessage());
        Flow flow = receipt.flow();
        if (!wait.isZero() && flow.status() == FlowStatus.RECEIVED) {
            flow = verdicts.await(flow, wait);
        }
        Map<String, Object> body = FlowJson.flow(flow);
        body.put("duplicate", receipt.duplicate());
        if (!wait.isZero()) {
            Optional<String> report = flows.validationReport(flow.id());
            body.put("validation", report.isPresent() ? ApiAnswers.parsed(report.get()) : null);
        }
        int status;
        if (receipt.oversize()) {
            status = 413;
        } else if (flow.status() == FlowStatus.REJECTED) {
            status = 422;
        } else {
            status = receipt.duplicate() ? 200 : 201;
        }
        ApiAnswers.json(exchange, status, body);
        exchange.getMessage().setHeader("Location", "/api/v1/flows/" + receipt.flow().id());
    }

    /**
     * ?wait=N (seconds, at most the configured limit): the caller waits for the validation
     * verdict; past that time the answer is the flow as it is, still RECEIVED.
     */
    private Duration waitParam(Message in) {
        int seconds = QueryParameters.intParam(in, "wait", 0);
        if (seconds < 0) {
            throw new ApiException(400, "bad-parameter", "'wait' est un nombre de secondes positif.");
        }
        Duration asked = Duration.ofSeconds(seconds);
        return asked.compareTo(maxWait) > 0 ? maxWait : asked;
    }
}
