package fr.passerelle;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import fr.passerelle.console.ConsoleAccounts;
import fr.passerelle.flow.Database;
import fr.passerelle.flow.FlowOptions;
import fr.passerelle.settings.CommandLines;
import fr.passerelle.settings.Settings;

/**
 * {@code console-user --login L --role operator|accountant [--commune ID]}: a web console account,
 * its password generated and printed once (or read from PASSERELLE_CONSOLE_PASSWORD). With the
 * embedded H2 database, run it while the gateway is stopped; with PostgreSQL, any time.
 */
@Command(name = "console-user", sortOptions = false,
        description = {"Create a web console account (/console): an operator (every commune, the actions) or a "
                + "commune's accountant. The password is generated and printed once, or taken from "
                + "PASSERELLE_CONSOLE_PASSWORD (12 characters at least)."})
final class ConsoleUserCommand implements Callable<Integer> {

    @Mixin
    CommandLines.HelpOption help;

    @Mixin
    Passerelle.ConfigOptions config = new Passerelle.ConfigOptions();

    @Option(names = "--login", required = true, paramLabel = "LOGIN", description = "the account's login")
    String login;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "operator or accountant")
    String role;

    @Option(names = "--commune", paramLabel = "ID", description = "the accountant's commune (tenants.yaml id)")
    String commune;

    private final Passerelle.ConfigOptions outer;
    private final PrintStream out;
    private final PrintStream err;

    ConsoleUserCommand(Passerelle.ConfigOptions outer, PrintStream out, PrintStream err) {
        this.outer = outer;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        ConsoleAccounts.Role r;
        try {
            r = ConsoleAccounts.Role.valueOf(role.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("--role is operator or accountant, not '" + role + "'");
            return 2;
        }
        Settings settings = config.settings(outer);
        String given = System.getenv("PASSERELLE_CONSOLE_PASSWORD");
        String password = given != null ? given : generated();
        FlowOptions flow = FlowOptions.from(settings);
        try (Database database = Database.open(flow.jdbcUrl(settings.dataDir()), flow.dbUser(), flow.dbPassword(), 2)) {
            ConsoleAccounts accounts = new ConsoleAccounts(database.dataSource(), Clock.systemUTC());
            if (!accounts.create(login, password, r, commune)) {
                err.println("The console account '" + login + "' exists already.");
                return 1;
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        out.println("Console account '" + login + "' created (" + r.name().toLowerCase(Locale.ROOT)
                + (r == ConsoleAccounts.Role.ACCOUNTANT ? ", commune " + commune : "") + ").");
        if (given == null) {
            out.println("Password (shown once): " + password);
        }
        return 0;
    }

    private static String generated() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
