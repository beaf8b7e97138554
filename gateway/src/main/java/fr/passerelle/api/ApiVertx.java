package fr.passerelle.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;

/**
 * The Vert.x instance Camel's HTTP servers run on (found in the registry by type): every HTTP
 * server it makes answers a request Vert.x cannot even parse (a broken header line, an invalid
 * Content-Length, a request line or headers over Vert.x's limits) in the API's problem shape
 * rather than an empty 400 / 414 / 431. Vert.x only takes that handler before a server listens,
 * hence here. Camel's servers may ask it to close: the gateway closes it, after Camel.
 */
final class ApiVertx extends VertxWrapper {

    ApiVertx() {
        super((VertxInternal) Vertx.vertx());
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        return super.createHttpServer(options).invalidRequestHandler(ApiVertx::answerInvalid);
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }

    @Override
    public void close(Handler<AsyncResult<Void>> done) {
        if (done != null) {
            done.handle(Future.succeededFuture());
        }
    }

    Future<Void> shutdown() {
        return delegate.close();
    }

    static void answerInvalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        int status;
        String code;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            code = "uri-too-long";
            message = "L'adresse demandée est trop longue : la requête n'a pas été lue.";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            code = "headers-too-large";
            message = "Les en-têtes de la requête sont trop volumineux : la requête n'a pas été lue.";
        } else {
            status = 400;
            code = "bad-request";
            message = "Requête HTTP mal formée (ligne de requête ou en-têtes illisibles, Content-Length invalide) : "
                    + "elle n'a pas été lue.";
        }
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, ApiProblem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(ApiProblem.json(status, code, message)))
                .onComplete(done -> request.response().close());
    }
}
