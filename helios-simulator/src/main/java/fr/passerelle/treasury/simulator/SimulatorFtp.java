package fr.passerelle.treasury.simulator;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.CommandFactoryFactory;
import org.apache.ftpserver.filesystem.nativefs.NativeFileSystemFactory;
import org.apache.ftpserver.ftplet.Authentication;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.Ftplet;
import org.apache.ftpserver.ftplet.FtpletContext;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.UsernamePasswordAuthentication;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;

import fr.passerelle.treasury.SiteCommands;

/**
 * The simulator's FTP side (Apache FtpServer): one user at home in the simulator's root,
 * passive data connections on any free port, the DGFiP SITE parameters remembered per session,
 * and the hooks of the misbehaving modes.
 */
final class SimulatorFtp {

    /** Session attribute: the SITE parameters received (not under FtpServer's reserved prefix). */
    static final String SITE = "helios.site";

    private final HeliosSimulator sim;
    private final FtpServer server;
    private final org.apache.ftpserver.listener.Listener listener;

    SimulatorFtp(HeliosSimulator sim, String host, int port, String user, String password, Path home) {
        this.sim = sim;
        FtpServerFactory f = new FtpServerFactory();
        ListenerFactory lf = new ListenerFactory();
        lf.setServerAddress(host);
        lf.setPort(port);
        lf.setIdleTimeout(120);
        listener = lf.createListener(); // passive ports: FtpServer's default "0", any free port
        f.addListener("default", listener);
        BaseUser u = new BaseUser();
        u.setName(user);
        u.setPassword(password);
        u.setHomeDirectory(home.toString());
        u.setEnabled(true);
        u.setAuthorities(List.of(new WritePermission(), new ConcurrentLoginPermission(0, 0)));
        f.setUserManager(new OneUser(u));
        NativeFileSystemFactory fs = new NativeFileSystemFactory();
        fs.setCreateHome(true);
        f.setFileSystem(fs);
        CommandFactoryFactory commands = new CommandFactoryFactory();
        for (String p : List.of(SiteCommands.P_DEST, SiteCommands.P_APPLI, SiteCommands.P_MSG)) {
            commands.addCommand("SITE_" + p, new SiteParameter());
        }
        commands.addCommand("SITE_META", new SiteParameter());
        f.setCommandFactory(commands.createCommandFactory());
        f.setFtplets(Map.of("helios", new Hooks()));
        server = f.createServer();
    }

    void start() throws FtpException {
        server.start();
    }

    int port() {
        return listener.getPort();
    }

    void stop() {
        server.stop();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> site(Object attribute) {
        return attribute instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    /** SITE P_DEST x, SITE P_APPLI x, SITE P_MSG x, SITE META P_DEST=…;P_APPLI=…;P_MSG=… */
    private static final class SiteParameter implements Command {
        @Override
        public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
                throws IOException, FtpException {
            session.resetState();
            String arg = request.getArgument() == null ? "" : request.getArgument().trim();
            int space = arg.indexOf(' ');
            String name = (space < 0 ? arg : arg.substring(0, space)).toUpperCase(Locale.ROOT);
            String value = space < 0 ? "" : arg.substring(space + 1).trim();
            Map<String, String> params = new LinkedHashMap<>(site(session.getAttribute(SITE)));
            if (name.equals("META")) {
                for (String pair : value.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        params.put(pair.substring(0, eq).trim().toUpperCase(Locale.ROOT), pair.substring(eq + 1).trim());
                    }
                }
            } else {
                params.put(name, value);
            }
            session.setAttribute(SITE, Collections.unmodifiableMap(params));
            session.write(new DefaultFtpReply(FtpReply.REPLY_200_COMMAND_OKAY, "SITE " + name + " OK"));
        }
    }

    private final class Hooks implements Ftplet {

        @Override
        public void init(FtpletContext context) {
        }

        @Override
        public void destroy() {
        }

        @Override
        public FtpletResult onConnect(FtpSession session) throws FtpException {
            if (sim.mode() == HeliosSimulator.Mode.REFUSE_CONNECTIONS) {
                sim.refusedConnection();
                session.write(new DefaultFtpReply(FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                        "Service HELIOS indisponible"));
                return FtpletResult.DISCONNECT;
            }
            return FtpletResult.DEFAULT;
        }

        @Override
        public FtpletResult onDisconnect(FtpSession session) {
            return FtpletResult.DEFAULT;
        }

        @Override
        public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
            String command = request.getCommand().toUpperCase(Locale.ROOT);
            HeliosSimulator.Mode mode = sim.mode();
            if (mode == HeliosSimulator.Mode.HANG && (command.equals("STOR") || command.equals("APPE")
                    || command.equals("STOU"))) {
                return hangThenDrop(session, mode);
            }
            if (mode == HeliosSimulator.Mode.HANG_BEFORE_RENAME && (command.equals("RNFR") || command.equals("RNTO"))) {
                return hangThenDrop(session, mode);
            }
            if (mode == HeliosSimulator.Mode.HANG_AFTER_RENAME && command.equals("RNTO")) {
                return renameThenHang(session, request);
            }
            return FtpletResult.DEFAULT;
        }

        /** The command never completes: held while the mode lasts, then the connection is dropped. */
        private FtpletResult hangThenDrop(FtpSession session, HeliosSimulator.Mode mode) throws FtpException {
            sim.gate().holdWhile(mode);
            session.write(new DefaultFtpReply(FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                    "Transfert interrompu"));
            return FtpletResult.DISCONNECT;
        }

        /** Renames (the flow is delivered), then holds the reply: the client cannot know it succeeded. */
        private FtpletResult renameThenHang(FtpSession session, FtpRequest request) throws FtpException {
            FtpFile from = session.getRenameFrom();
            if (from == null || request.getArgument() == null) {
                return FtpletResult.DEFAULT;
            }
            FtpFile to = session.getFileSystemView().getFile(request.getArgument());
            if (!from.move(to)) {
                return FtpletResult.DEFAULT;
            }
            delivered(session, to);
            boolean released = sim.gate().holdWhile(HeliosSimulator.Mode.HANG_AFTER_RENAME);
            if (!released) {
                return FtpletResult.DISCONNECT;
            }
            session.write(new DefaultFtpReply(FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY, "RNTO OK"));
            return FtpletResult.SKIP;
        }

        @Override
        public FtpletResult afterCommand(FtpSession session, FtpRequest request, FtpReply reply) throws FtpException {
            String command = request.getCommand().toUpperCase(Locale.ROOT);
            int code = reply == null ? 0 : reply.getCode();
            if (((command.equals("STOR") || command.equals("APPE")) && code == FtpReply.REPLY_226_CLOSING_DATA_CONNECTION)
                    || (command.equals("RNTO") && code == FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY)) {
                if (request.getArgument() != null) {
                    delivered(session, session.getFileSystemView().getFile(request.getArgument()));
                }
            }
            return FtpletResult.DEFAULT;
        }

        private void delivered(FtpSession session, FtpFile file) {
            if (file.getPhysicalFile() instanceof File physical) {
                sim.delivered(physical.toPath(), site(session.getAttribute(SITE)), true);
            }
        }
    }

    /** The simulator's single account. */
    private static final class OneUser implements UserManager {

        private final BaseUser user;

        OneUser(BaseUser user) {
            this.user = user;
        }

        @Override
        public User getUserByName(String name) {
            return user.getName().equals(name) ? user : null;
        }

        @Override
        public String[] getAllUserNames() {
            return new String[] {user.getName()};
        }

        @Override
        public void delete(String name) throws FtpException {
            throw new FtpException("read-only user manager");
        }

        @Override
        public void save(User u) throws FtpException {
            throw new FtpException("read-only user manager");
        }

        @Override
        public boolean doesExist(String name) {
            return user.getName().equals(name);
        }

        @Override
        public User authenticate(Authentication authentication) throws AuthenticationFailedException {
            if (authentication instanceof UsernamePasswordAuthentication up && user.getName().equals(up.getUsername())
                    && user.getPassword().equals(up.getPassword())) {
                return user;
            }
            throw new AuthenticationFailedException("Identifiant ou mot de passe incorrect");
        }

        @Override
        public String getAdminName() {
            return user.getName();
        }

        @Override
        public boolean isAdmin(String name) {
            return false;
        }
    }
}
