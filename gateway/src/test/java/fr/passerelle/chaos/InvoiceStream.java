package fr.passerelle.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import fr.passerelle.Invoices;
import fr.passerelle.Json;

/**
 * The load: for each commune, a thread posting UBL invoices ({@code POST /api/v1/flows}, raw body,
 * X-Api-Key and X-File-Name) at a steady pace, whether the gateway is up or not. Each invoice is
 * unique (its number, BT-1, names the run, the commune and a sequence) so that it can be found at
 * the treasury. An invoice is accepted only when the gateway answered 201, or 200 (duplicate: an
 * earlier attempt whose answer was lost had been recorded). An attempt without an answer
 * (connection refused or reset while the gateway is down, 5xx, a 404/405 page of an HTTP server
 * whose API routes are not there yet) is tried again, same content, at the next tick, as a client
 * would; the API's refusals (400, 401, 413, 422 with a JSON body) are kept for the verdict.
 */
final class InvoiceStream implements AutoCloseable {

    /** A commune the stream posts for. */
    record Commune(String id, String siret, String apiKey) {
    }

    /** One invoice of the stream, and what the gateway said of it. */
    static final class Invoice {
        final Commune commune;
        final String number;
        final String fileName;
        final byte[] content;
        final String sha256;
        volatile int attempts;
        volatile int lastStatus; // 0: no answer
        volatile String flowId;  // set when accepted
        volatile String refusal; // a 4xx answer's body

        Invoice(Commune commune, String number, byte[] content) {
            this.commune = commune;
            this.number = number;
            this.fileName = "facture-" + number + ".xml";
            this.content = content;
            this.sha256 = sha256(content);
        }

        boolean accepted() {
            return flowId != null;
        }
    }

    private static final String SAMPLE_NUMBER = "<cbc:ID>12115118</cbc:ID>";
    /** The API's refusals of a posted file (JSON bodies): the invoice is not tried again. */
    private static final java.util.Set<Integer> REFUSALS = java.util.Set.of(400, 401, 413, 422);

    private final List<Commune> communes;
    private final long periodNanos;
    private final String tag;
    private final Supplier<String> api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> templates = new ConcurrentHashMap<>();
    private final List<Invoice> invoices = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running;

    /**
     * @param ratePerCommune invoices per second per commune
     * @param tag            in every invoice number: tells this run's invoices apart
     * @param api            the gateway's API address now (it may change at a restart)
     */
    InvoiceStream(List<Commune> communes, double ratePerCommune, String tag, Supplier<String> api) throws IOException {
        this.communes = List.copyOf(communes);
        this.periodNanos = (long) (1_000_000_000L / ratePerCommune);
        this.tag = tag;
        this.api = api;
        for (Commune c : communes) {
            String ubl = Invoices.ublFor(c.siret());
            if (!ubl.contains(SAMPLE_NUMBER) || !ubl.contains(c.siret())) {
                throw new IllegalStateException("the UBL sample changed: cannot make unique invoices from it");
            }
            templates.put(c.id(), ubl);
        }
    }

    synchronized void start() {
        running = true;
        for (int i = 0; i < communes.size(); i++) {
            Commune c = communes.get(i);
            int index = i;
            Thread t = new Thread(() -> post(c, index), "chaos-stream-" + c.id());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops posting; the attempt in flight of each commune ends first (bounded by its timeout). */
    synchronized void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(40).toMillis());
        }
        threads.clear();
    }

    private void post(Commune commune, int index) {
        long next = System.nanoTime();
        int sequence = 0;
        Invoice current = null;
        while (running) {
            if (current == null) {
                String number = "CHAOS-" + tag + "-" + index + "-" + (++sequence);
                current = new Invoice(commune, number, templates.get(commune.id())
                        .replace(SAMPLE_NUMBER, "<cbc:ID>" + number + "</cbc:ID>").getBytes(StandardCharsets.UTF_8));
                invoices.add(current);
            }
            if (attempt(current)) {
                current = null;
            }
            next = Math.max(next + periodNanos, System.nanoTime());
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the load's pace
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One POST of the invoice; true when the gateway answered (accepted or refused). */
    private boolean attempt(Invoice invoice) {
        invoice.attempts++;
        attempts.incrementAndGet();
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(api.get() + "/api/v1/flows"))
                    .header("X-Api-Key", invoice.commune.apiKey()).header("X-File-Name", invoice.fileName)
                    .header("Content-Type", "application/xml").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(invoice.content)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            unanswered.incrementAndGet();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
        invoice.lastStatus = r.statusCode();
        if (r.statusCode() == 201 || r.statusCode() == 200) {
            JsonNode body = Json.parse(r.body());
            if (r.statusCode() == 200) {
                duplicates.incrementAndGet();
            }
            invoice.flowId = body.get("id").asText();
            accepted.incrementAndGet();
            return true;
        }
        if (!REFUSALS.contains(r.statusCode()) || !r.body().startsWith("{")) {
            // 5xx, or the HTTP server up before the API's routes (404/405 pages): not an answer of the API
            unanswered.incrementAndGet();
            return false;
        }
        invoice.refusal = r.statusCode() + " " + r.body();
        refused.incrementAndGet();
        return true;
    }

    List<Invoice> invoices() {
        return List.copyOf(invoices);
    }

    List<Invoice> acceptedInvoices() {
        return invoices.stream().filter(Invoice::accepted).toList();
    }

    /** Invoices accepted so far (grows as answers come: kill triggers watch it). */
    long acceptedCount() {
        return accepted.get();
    }

    long attempts() {
        return attempts.get();
    }

    long unanswered() {
        return unanswered.get();
    }

    long duplicateAnswers() {
        return duplicates.get();
    }

    long refusedCount() {
        return refused.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
