package fr.passerelle.api;

import java.time.Duration;

import io.vertx.ext.web.RoutingContext;

/**
 * Watches one request until its body has been read and handed to its route: when no byte of it
 * arrives for the read timeout (a client that stalls half-way, a chunked body never ended), the
 * request is answered 408 and its connection closed; when the body ended but never became a
 * request (a multipart form whose closing boundary never comes), it is answered 400; when it was
 * answered early (refused) and the rest of its body, read and dropped, stops coming, its connection
 * is closed. Runs on the request's event loop, a look every quarter of the timeout (at most 1 s).
 * It times silences, not a whole body: a client that keeps sending, however slowly, is not cut.
 */
final class ReadWatch {

    private final RoutingContext ctx;
    private final long timeoutNanos;
    private final HttpFrontDoor door;
    private long lastBytes;
    private long lastProgress;
    private long timer = -1;

    ReadWatch(RoutingContext ctx, Duration timeout, HttpFrontDoor door) {
        this.ctx = ctx;
        this.timeoutNanos = timeout.toNanos();
        this.door = door;
    }

    void start() {
        lastBytes = ctx.request().bytesRead();
        lastProgress = System.nanoTime();
        long tick = Math.max(20, Math.min(1000, timeoutNanos / 4_000_000));
        timer = ctx.vertx().setPeriodic(tick, id -> check());
    }

    private void stop() {
        if (timer >= 0) {
            ctx.vertx().cancelTimer(timer);
            timer = -1;
        }
    }

    private void check() {
        boolean answered = ctx.response().ended() || ctx.response().headWritten();
        boolean ended = ctx.request().isEnded();
        boolean handedOn = ctx.get(HttpFrontDoor.BODY_READ) != null;
        if (ctx.response().closed() || ended && answered || handedOn && !answered) {
            stop(); // done, or read and handed on: what the route does with it is not reading
            return;
        }
        long bytes = ctx.request().bytesRead();
        long now = System.nanoTime();
        if (bytes != lastBytes) {
            lastBytes = bytes;
            lastProgress = now;
            return;
        }
        if (now - lastProgress < timeoutNanos) {
            return;
        }
        stop();
        long seconds = Math.max(1, timeoutNanos / 1_000_000_000L);
        if (answered) {
            ctx.request().connection().close(); // answered already, and the rest of the body stopped coming
        } else if (ended) {
            door.answer(ctx, 400, "incomplete-body", "Le corps de la requête est incomplet (formulaire multipart "
                    + "sans délimiteur de fin ?) : il n'a pas pu être lu. Renvoyez le fichier.");
        } else {
            door.answer(ctx, 408, "read-timeout", "Rien n'a été reçu de la requête pendant " + seconds + " s avant "
                    + "la fin de son corps : l'envoi est abandonné. Renvoyez le fichier.");
            ctx.request().connection().close();
        }
    }
}
