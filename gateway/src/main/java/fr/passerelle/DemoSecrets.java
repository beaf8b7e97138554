package fr.passerelle;


import java.util.ArrayList;
import java.util.List;

import fr.passerelle.settings.Settings;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantConfigException;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.intake.SupplierAccounts;

/**
 * The demo set-up's secrets are public (README): communes' API keys {@code demo-key-<id>}, the
 * operators' {@code demo-ops-key}, the supplier's SFTP password {@code demo-supplier-password}; and
 * its demo features (self-signed signing keys, the Hélios simulator) never reach the Trésor
 * public. With {@code passerelle.demo=false} the gateway refuses to start while any of them is
 * configured. The configuration holds hashes only, so each configured key and password is
 * compared with the demo values, hashed.
 */
public final class DemoSecrets {

    public static final String OPERATOR_KEY = "demo-ops-key";
    public static final String SUPPLIER_PASSWORD = "demo-supplier-password";
    public static final String DEMO_CHORUS_PASSWORD = "passerelle-tech-password";

    private DemoSecrets() {
    }

    /** The demo API key of a commune, as the shipped config/tenants.yaml holds it (hashed). */
    public static String communeKey(String communeId) {
        return "demo-key-" + communeId;
    }

    /** What of the configuration belongs to the demo, each with what to change; empty when nothing. */
    public static List<String> found(TenantRegistry tenants, SupplierAccounts accounts, Settings settings) {
        List<String> found = new ArrayList<>();
        List<String> communes = new ArrayList<>();
        for (Commune commune : tenants.communes()) {
            // a demo key of any configured commune, on whichever commune it is
            tenants.communeForApiKey(communeKey(commune.id())).ifPresent(c -> communes.add(c.id()
                    + (c.id().equals(commune.id()) ? "" : " (" + communeKey(commune.id()) + ")")));
        }
        if (!communes.isEmpty()) {
            found.add("the demo API key 'demo-key-<id>' of commune(s) " + String.join(", ", communes)
                    + " (apiKeys in tenants.yaml)");
        }
        tenants.operatorForApiKey(OPERATOR_KEY).ifPresent(name -> found.add("the demo operator key '" + OPERATOR_KEY
                + "' of operator " + name + " (operators in tenants.yaml)"));
        List<String> suppliers = new ArrayList<>();
        for (String user : accounts.users()) {
            if (accounts.checkPassword(user, SUPPLIER_PASSWORD)) {
                suppliers.add(user);
            }
        }
        if (!suppliers.isEmpty()) {
            found.add("the demo SFTP password '" + SUPPLIER_PASSWORD + "' of supplier(s) " + String.join(", ", suppliers)
                    + " (sftp-accounts.yaml)");
        }
        if (settings.getBoolean("passerelle.signature.demo-keys")) {
            found.add("self-signed demo signing keys (passerelle.signature.demo-keys=true)");
        }
        if (settings.getBoolean("passerelle.simulator.enabled")) {
            found.add("the Hélios simulator (passerelle.simulator.enabled=true)");
        }
        if (settings.getBoolean("passerelle.chorus-simulator.enabled")) {
            found.add("the Chorus Pro simulator (passerelle.chorus-simulator.enabled=true)");
        }
        for (var commune : tenants.communes()) {
            if (commune.chorusPro() != null && DEMO_CHORUS_PASSWORD.equals(commune.chorusPro().password())) {
                found.add("the demo Chorus Pro password of commune " + commune.id()
                        + " (set PASSERELLE_CHORUS_PASSWORD_" + commune.id().toUpperCase(java.util.Locale.ROOT).replace('-', '_')
                        + ")");
            }
        }
        return found;
    }

    /** Throws, naming each demo secret or feature and what to do, when passerelle.demo=false meets any. */
    public static void refuseOutsideDemo(Settings settings, TenantRegistry tenants, SupplierAccounts accounts) {
        if (settings.getBoolean("passerelle.demo")) {
            return;
        }
        List<String> found = found(tenants, accounts, settings);
        if (!found.isEmpty()) {
            throw new TenantConfigException("passerelle.demo=false, but the configuration (" + settings.configDir()
                    + ") still has " + String.join("; ", found) + ". Replace each key and password by your own "
                    + "(java -jar passerelle.jar new-key or hash-key KEY, hash-password PASSWORD), turn the demo features off, "
                    + "or run in demo mode (passerelle.demo=true, PASSERELLE_DEMO=true).");
        }
    }

    /** The demo's console accounts (README): an operator, and the accountant of aubeval when it is configured. */
    public static final String CONSOLE_OPERATOR = "operateur";
    public static final String CONSOLE_PASSWORD = "demo-console-password";

    static void consoleAccounts(fr.passerelle.console.ConsoleAccounts accounts, TenantRegistry tenants) {
        accounts.create(CONSOLE_OPERATOR, CONSOLE_PASSWORD, fr.passerelle.console.ConsoleAccounts.Role.OPERATOR, null);
        if (tenants.commune("aubeval").isPresent()) {
            accounts.create("compta-aubeval", CONSOLE_PASSWORD, fr.passerelle.console.ConsoleAccounts.Role.ACCOUNTANT,
                    "aubeval");
        }
    }

    /** Outside the demo, a console account that still has the demo's password stops start-up. */
    static void refuseDemoConsoleAccounts(fr.passerelle.console.ConsoleAccounts accounts) {
        for (String login : List.of(CONSOLE_OPERATOR, "compta-aubeval")) {
            if (accounts.hasPassword(login, CONSOLE_PASSWORD)) {
                throw new TenantConfigException("passerelle.demo=false, but the console account '" + login
                        + "' still has the demo's password: remove it from the console_account table, or run in demo mode");
            }
        }
    }
}
