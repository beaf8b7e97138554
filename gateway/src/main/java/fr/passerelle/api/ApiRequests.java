package fr.passerelle.api;

import java.io.IOException;
import java.io.InputStream;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import fr.passerelle.tenant.TenantRegistry;

/** What every API endpoint reads from a request: who calls, for which commune, with which file. */
public final class ApiRequests {

    static final String CALLER = "passerelleCaller";

    private final ApiAuth auth;
    private final TenantRegistry tenants;
    private final MultipartReader multipart;

    public ApiRequests(ApiAuth auth, TenantRegistry tenants, MultipartReader multipart) {
        this.auth = auth;
        this.tenants = tenants;
        this.multipart = multipart;
    }

    /** The authenticated caller, looked up once per exchange (a refused key is a 401 from ApiAuth). */
    Caller caller(Exchange exchange) {
        Caller caller = exchange.getProperty(CALLER, Caller.class);
        if (caller == null) {
            caller = auth.caller(exchange.getMessage());
            exchange.setProperty(CALLER, caller);
        }
        return caller;
    }

    /**
     * The commune a request is about: the caller's own, or for an operator ?commune= (null when
     * absent), which must be a commune of the platform: anything else is refused before the body
     * is looked at, so that nothing is stored for it.
     */
    String commune(Caller caller, Message in) {
        if (!caller.isOperator()) {
            return caller.commune().id();
        }
        String id = in.getHeader("commune", String.class);
        if (id == null) {
            return null;
        }
        return tenants.commune(id).map(c -> c.id()).orElseThrow(() -> new ApiException(404, "unknown-commune",
                "Commune inconnue : aucune commune de la plateforme n'a l'identifiant demandé (?commune=). "
                        + "Rien n'a été enregistré."));
    }

    /** The posted file: the multipart field "file", else the raw body named by X-File-Name (or ?name=). */
    MultipartReader.Part postedFile(Exchange exchange) throws IOException {
        MultipartReader.Part part = multipart.filePart(exchange);
        if (part != null) {
            return part;
        }
        Message in = exchange.getMessage();
        String name = in.getHeader("X-File-Name", String.class);
        if (name == null) {
            name = in.getHeader("name", String.class);
        }
        InputStream body = in.getBody(InputStream.class);
        return new MultipartReader.Part(name, body == null ? InputStream.nullInputStream() : body);
    }
}
