package fr.passerelle;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.net.impl.TCPServerBase;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

import fr.passerelle.settings.Settings;

/**
 * The ports the gateway listens on, each with the setting that chooses it, so that a port already
 * taken is reported by the name of what to change instead of a bare "Address already in use" from
 * deep inside Vert.x, SSHD or Artemis.
 */
final class ListeningPorts {

    record Port(String setting, String host, int number) {

        String inUseMessage() {
            return "Port " + number + " is already in use (" + setting + "): set another with --set " + setting
                    + "=… or " + Settings.envName(setting);
        }
    }

    private ListeningPorts() {
    }

    /** The ports this configuration opens; 0 (any free port) is left out, it cannot be taken. */
    static List<Port> of(Settings settings) {
        List<Port> ports = new ArrayList<>();
        if (enabled(settings, "camel.server.enabled")) {
            add(ports, "camel.server.port", settings.get("camel.server.host", null), settings.getInt("camel.server.port"));
        }
        if (enabled(settings, "camel.management.enabled")) {
            add(ports, "camel.management.port", settings.get("camel.management.host", null),
                    settings.getInt("camel.management.port"));
        }
        if (enabled(settings, "passerelle.sftp.enabled")) {
            add(ports, "passerelle.sftp.port", settings.get("passerelle.sftp.host", null),
                    settings.getInt("passerelle.sftp.port"));
        }
        String acceptor = settings.get("passerelle.broker.tcp-acceptor", "");
        if (!acceptor.isEmpty() && enabled(settings, "passerelle.broker.embedded")) {
            try {
                URI uri = URI.create(acceptor);
                add(ports, "passerelle.broker.tcp-acceptor", uri.getHost(), uri.getPort());
            } catch (IllegalArgumentException notAUri) {
                // Artemis says what is wrong with its acceptor URL at start-up
            }
        }
        return ports;
    }

    /** The ports of this configuration that something else holds now, checked by binding each one for a moment. */
    static List<Port> inUse(Settings settings) {
        return of(settings).stream().filter(ListeningPorts::taken).toList();
    }

    /**
     * Camel's HTTP servers (the API's and the management one) only log a bind that fails, and Camel
     * starts without them: here, once Camel has started, such a port is a start-up failure. (The
     * check before start-up cannot see a port taken between it and the bind.)
     */
    static void requireHttpServersListening(CamelContext camel) throws BindException {
        for (VertxPlatformHttpServer server : camel.hasServices(VertxPlatformHttpServer.class)) {
            // actualPort() says the port asked for even when its bind failed; Vert.x's listening flag does not
            if (server.getServer() instanceof TCPServerBase tcp && !tcp.isListening()) {
                // why (a port in use, an address not this machine's) is in Camel's warning just logged
                throw new BindException("The HTTP server on " + server.getHost() + ":" + server.getConfigurationPort()
                        + " is not listening (Camel's warning above says why)");
            }
        }
    }

    private static boolean enabled(Settings settings, String key) {
        return settings.get(key, null) == null || settings.getBoolean(key);
    }

    private static void add(List<Port> ports, String setting, String host, int number) {
        if (number > 0) {
            ports.add(new Port(setting, host == null || host.isBlank() ? "0.0.0.0" : host, number));
        }
    }

    private static boolean taken(Port port) {
        return taken(port.host(), port.number());
    }

    /** Whether something listens on this port of this host (0.0.0.0: of any address), by binding it for a moment. */
    static boolean taken(String host, int number) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, number));
            return false;
        } catch (BindException e) {
            // "Cannot assign requested address" (a host that is not this machine's) is also a BindException:
            // that one is not a port in use, and start-up reports it as it is
            return e.getMessage() == null || e.getMessage().contains("in use");
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }
}
