package fr.passerelle.tenant;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The communes sharing the platform, read from {@code config/tenants.yaml}. The file is read as
 * a YAML node tree (not bound to objects) so that every error names its line.
 */
public final class TenantRegistry {

    private static final Set<String> COMMUNE_KEYS = Set.of("id", "name", "siret", "siren", "idPost", "codCol",
            "codBuds", "apiKeys", "signingKey", "treasuryEndpoint", "invoices", "signWholeFile", "transmission", "webhook",
            "chorusPro");
    private static final Set<String> CHORUS_KEYS = Set.of("structureId", "login", "password", "onRejected");
    private static final Set<String> TRANSMISSION_KEYS = Set.of("windows", "maxFlowsPerHour");
    private static final Set<String> WEBHOOK_KEYS = Set.of("url", "secret");
    private static final Set<String> POLICY_KEYS = Set.of("acceptPlainPdf", "minimumProfiles", "requireServiceCode",
            "requireCommitmentNumber", "frenchRules", "relax");
    private static final Set<String> RELAX_KEYS = Set.of("rules", "by");
    private static final Set<String> OPERATOR_KEYS = Set.of("name", "apiKeys");

    private final Map<String, Commune> communes;
    private final Map<String, Commune> communeByKeyHash;
    private final Map<String, String> operatorByKeyHash;

    private TenantRegistry(Map<String, Commune> communes, Map<String, String> operatorByKeyHash) {
        this.communes = communes;
        this.operatorByKeyHash = operatorByKeyHash;
        this.communeByKeyHash = new HashMap<>();
        communes.values().forEach(c -> c.apiKeyHashes().forEach(h -> communeByKeyHash.put(h, c)));
    }

    public static TenantRegistry load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (IOException e) {
            throw new TenantConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    static TenantRegistry parse(Reader reader, String source) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new TenantConfigException(source + ":" + (e.getProblemMark().getLine() + 1) + ": not valid YAML: "
                    + e.getProblem());
        }
        Parser parser = new Parser(source);
        if (!(root instanceof MappingNode top)) {
            throw parser.error(root, "expected a mapping with 'communes' (and optionally 'operators')");
        }
        Map<String, Node> sections = parser.mapping(top, Set.of("communes", "operators"));
        Map<String, Commune> communes = new LinkedHashMap<>();
        Map<String, Node> seenKeys = new HashMap<>();
        Map<String, String> siretOwner = new HashMap<>();
        Node communeList = sections.get("communes");
        if (communeList == null) {
            throw parser.error(top, "no 'communes' section");
        }
        for (Node item : parser.sequence(communeList)) {
            Commune commune = parser.commune(item, seenKeys);
            if (communes.containsKey(commune.id())) {
                throw parser.error(item, "commune id '" + commune.id() + "' is used twice");
            }
            String other = siretOwner.putIfAbsent(commune.siret(), commune.id());
            if (other != null) {
                throw parser.error(item, "SIRET " + commune.siret() + " is already used by commune '" + other + "'");
            }
            communes.put(commune.id(), commune);
        }
        Map<String, String> operators = new HashMap<>();
        Node operatorList = sections.get("operators");
        if (operatorList != null) {
            for (Node item : parser.sequence(operatorList)) {
                Map<String, Node> fields = parser.mapping(item, OPERATOR_KEYS);
                String name = parser.required(item, fields, "name");
                for (String hash : parser.apiKeys(fields.get("apiKeys"), seenKeys)) {
                    operators.put(hash, name);
                }
            }
        }
        return new TenantRegistry(communes, operators);
    }

    public Collection<Commune> communes() {
        return communes.values();
    }

    public Optional<Commune> commune(String id) {
        return Optional.ofNullable(communes.get(id));
    }

    public Optional<Commune> communeForApiKey(String apiKey) {
        return Optional.ofNullable(communeByKeyHash.get(ApiKeys.hash(apiKey)));
    }

    /** The operator's name when the key is an operations key (sees every commune's flows). */
    public Optional<String> operatorForApiKey(String apiKey) {
        return Optional.ofNullable(operatorByKeyHash.get(ApiKeys.hash(apiKey)));
    }

    /** The commune an invoice buyer identifier (SIRET, or SIREN when unambiguous) designates. */
    public Optional<Commune> communeForBuyer(Collection<String> buyerIdentifiers) {
        for (String identifier : buyerIdentifiers) {
            String normalised = Siret.normalise(identifier);
            for (Commune c : communes.values()) {
                if (c.siret().equals(normalised)) {
                    return Optional.of(c);
                }
            }
        }
        for (String identifier : buyerIdentifiers) {
            String normalised = Siret.normalise(identifier);
            List<Commune> bySiren = communes.values().stream().filter(c -> c.siren().equals(normalised)).toList();
            if (bySiren.size() == 1) {
                return Optional.of(bySiren.get(0));
            }
        }
        return Optional.empty();
    }

    /** Reads YAML nodes and reports problems with the file name and line. */
    private static final class Parser {
        private final String source;

        Parser(String source) {
            this.source = source;
        }

        TenantConfigException error(Node node, String message) {
            int line = node == null ? 1 : node.getStartMark().getLine() + 1;
            return new TenantConfigException(source + ":" + line + ": " + message);
        }

        Map<String, Node> mapping(Node node, Set<String> allowed) {
            if (!(node instanceof MappingNode mapping)) {
                throw error(node, "expected a mapping of keys to values");
            }
            Map<String, Node> fields = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = scalar(tuple.getKeyNode());
                if (!allowed.contains(key)) {
                    throw error(tuple.getKeyNode(), "unknown key '" + key + "' (expected one of " + allowed + ")");
                }
                if (fields.put(key, tuple.getValueNode()) != null) {
                    throw error(tuple.getKeyNode(), "key '" + key + "' is given twice");
                }
            }
            return fields;
        }

        List<Node> sequence(Node node) {
            if (!(node instanceof SequenceNode seq)) {
                throw error(node, "expected a list");
            }
            return seq.getValue();
        }

        String scalar(Node node) {
            if (!(node instanceof ScalarNode s)) {
                throw error(node, "expected a single value");
            }
            return s.getValue().trim();
        }

        String required(Node owner, Map<String, Node> fields, String key) {
            Node node = fields.get(key);
            if (node == null) {
                throw error(owner, "missing '" + key + "'");
            }
            String value = scalar(node);
            if (value.isEmpty()) {
                throw error(node, "'" + key + "' is empty");
            }
            return value;
        }

        String checked(Node owner, Map<String, Node> fields, String key, String pattern, String meaning) {
            String value = required(owner, fields, key);
            if (!value.matches(pattern)) {
                throw error(fields.get(key), "'" + key + "' is '" + value + "' but must be " + meaning);
            }
            return value;
        }

        List<String> apiKeys(Node node, Map<String, Node> seen) {
            List<String> hashes = new ArrayList<>();
            if (node == null) {
                return hashes;
            }
            for (Node item : sequence(node)) {
                String hash = scalar(item);
                if (!ApiKeys.isHash(hash)) {
                    throw error(item, "API keys are stored hashed: write 'sha256:<64 hex digits>' "
                            + "(java -jar gateway/target/passerelle.jar hash-key KEY), never the key itself");
                }
                if (seen.putIfAbsent(hash, item) != null) {
                    throw error(item, "this API key is already given to another commune or operator");
                }
                hashes.add(hash);
            }
            return hashes;
        }

        Commune commune(Node node, Map<String, Node> seenKeys) {
            Map<String, Node> f = mapping(node, COMMUNE_KEYS);
            String id = checked(node, f, "id", "[a-z0-9][a-z0-9-]{1,39}", "2 to 40 lower-case letters, digits or '-'");
            String name = required(node, f, "name");
            String siret = required(node, f, "siret").replace(" ", "");
            if (!Siret.isValidSiret(siret)) {
                throw error(f.get("siret"), "SIRET '" + siret + "' is not 14 digits with a valid check digit");
            }
            String siren = f.containsKey("siren") ? required(node, f, "siren").replace(" ", "") : siret.substring(0, 9);
            if (!siret.startsWith(siren) || !Siret.isValidSiren(siren)) {
                throw error(f.get("siren"), "SIREN '" + siren + "' is not the first 9 digits of SIRET " + siret);
            }
            String idPost = checked(node, f, "idPost", "[0-9A-Z]{6,7}", "6 or 7 digits or capital letters (IdPost)");
            String codCol = checked(node, f, "codCol", "[0-9A-Z]{3}", "3 characters (CodCol)");
            List<String> codBuds = new ArrayList<>();
            Node budNode = f.get("codBuds");
            if (budNode == null) {
                throw error(node, "missing 'codBuds' (at least one budget code)");
            }
            for (Node bud : sequence(budNode)) {
                String codBud = scalar(bud);
                if (!codBud.matches("[0-9A-Z]{2}")) {
                    throw error(bud, "CodBud '" + codBud + "' must be 2 characters");
                }
                codBuds.add(codBud);
            }
            if (codBuds.isEmpty()) {
                throw error(budNode, "'codBuds' needs at least one budget code");
            }
            List<String> keys = apiKeys(f.get("apiKeys"), seenKeys);
            String signingKey = f.containsKey("signingKey") ? scalar(f.get("signingKey")) : "keys/" + id + ".p12";
            String endpoint = f.containsKey("treasuryEndpoint") ? scalar(f.get("treasuryEndpoint")) : "helios-simulator";
            InvoicePolicy policy = f.containsKey("invoices") ? policy(f.get("invoices")) : InvoicePolicy.DEFAULT;
            TransmissionRules transmission = f.containsKey("transmission") ? transmission(f.get("transmission")) : null;
            Webhook webhook = f.containsKey("webhook") ? webhook(f.get("webhook"), id) : null;
            ChorusProAccount chorusPro = f.containsKey("chorusPro") ? chorusPro(f.get("chorusPro"), id) : null;
            return new Commune(id, name, siret, siren, idPost, codCol, List.copyOf(codBuds), List.copyOf(keys),
                    signingKey, endpoint, policy, f.containsKey("signWholeFile") && flag(f, "signWholeFile"),
                    transmission, webhook, chorusPro);
        }

        ChorusProAccount chorusPro(Node node, String communeId) {
            Map<String, Node> c = mapping(node, CHORUS_KEYS);
            String structure = checked(node, c, "structureId", "\\d{1,18}", "the commune's structure id on Chorus Pro "
                    + "(digits)");
            String login = required(node, c, "login");
            // the technical account's password stays out of the file: PASSERELLE_CHORUS_PASSWORD_<COMMUNE>
            String fromEnv = System.getenv("PASSERELLE_CHORUS_PASSWORD_" + communeId.toUpperCase(java.util.Locale.ROOT)
                    .replace('-', '_'));
            String password = fromEnv != null ? fromEnv : c.containsKey("password") ? scalar(c.get("password")) : null;
            if (password == null || password.isEmpty()) {
                throw error(node, "no password for the Chorus Pro technical account of '" + communeId
                        + "': set PASSERELLE_CHORUS_PASSWORD_" + communeId.toUpperCase(java.util.Locale.ROOT)
                        .replace('-', '_'));
            }
            String onRejected = c.containsKey("onRejected") ? scalar(c.get("onRejected")) : ChorusProAccount.REJETEE;
            if (!onRejected.equals(ChorusProAccount.REJETEE) && !onRejected.equals(ChorusProAccount.SUSPENDUE)) {
                throw error(c.get("onRejected"), "'onRejected' is '" + onRejected + "' but must be REJETEE or SUSPENDUE");
            }
            return new ChorusProAccount(Long.parseLong(structure), login, password, onRejected);
        }

        TransmissionRules transmission(Node node) {
            Map<String, Node> t = mapping(node, TRANSMISSION_KEYS);
            List<String> windows = new ArrayList<>();
            if (t.containsKey("windows")) {
                for (Node w : sequence(t.get("windows"))) {
                    windows.add(scalar(w));
                }
            }
            String max = t.containsKey("maxFlowsPerHour") ? scalar(t.get("maxFlowsPerHour")) : "0";
            if (!max.matches("\\d{1,6}")) {
                throw error(t.get("maxFlowsPerHour"), "'maxFlowsPerHour' is '" + max + "' but must be a number (0: no limit)");
            }
            try {
                return TransmissionRules.parse(windows, Integer.parseInt(max));
            } catch (IllegalArgumentException e) {
                throw error(node, e.getMessage());
            }
        }

        Webhook webhook(Node node, String communeId) {
            Map<String, Node> w = mapping(node, WEBHOOK_KEYS);
            String url = required(node, w, "url");
            if (!url.matches("https?://.+")) {
                throw error(w.get("url"), "webhook url '" + url + "' must start with http:// or https://");
            }
            // the secret may stay out of the file: PASSERELLE_WEBHOOK_SECRET_<COMMUNE>
            String fromEnv = System.getenv("PASSERELLE_WEBHOOK_SECRET_" + communeId.toUpperCase(java.util.Locale.ROOT)
                    .replace('-', '_'));
            String secret = fromEnv != null ? fromEnv : w.containsKey("secret") ? scalar(w.get("secret")) : null;
            return new Webhook(url, secret == null || secret.isEmpty() ? null : secret);
        }

        InvoicePolicy policy(Node node) {
            Map<String, Node> p = mapping(node, POLICY_KEYS);
            String minimum = p.containsKey("minimumProfiles") ? scalar(p.get("minimumProfiles")) : "warn";
            if (!minimum.equals("warn") && !minimum.equals("reject")) {
                throw error(p.get("minimumProfiles"), "'minimumProfiles' is '" + minimum + "' but must be warn or reject");
            }
            String french = p.containsKey("frenchRules") ? scalar(p.get("frenchRules")) : "declared";
            if (!french.equals("declared") && !french.equals("all")) {
                throw error(p.get("frenchRules"), "'frenchRules' is '" + french + "' but must be declared (invoices that "
                        + "declare a French CTC specification) or all");
            }
            return new InvoicePolicy(flag(p, "acceptPlainPdf"), minimum.equals("reject"), flag(p, "requireServiceCode"),
                    flag(p, "requireCommitmentNumber"), french.equals("all"),
                    p.containsKey("relax") ? leniency(p.get("relax")) : Leniency.NONE);
        }

        /** relax: {rules: [CII-DT-*, FX-NOT-USED], by: "who decided it"}: both required, so a report can name them. */
        Leniency leniency(Node node) {
            Map<String, Node> r = mapping(node, RELAX_KEYS);
            String by = required(node, r, "by");
            List<String> rules = new ArrayList<>();
            Node list = r.get("rules");
            if (list == null) {
                throw error(node, "missing 'rules' (the rule ids to report as warnings, e.g. [CII-DT-*])");
            }
            for (Node item : sequence(list)) {
                String rule = scalar(item);
                if (!rule.matches("[A-Za-z][A-Za-z0-9_.-]*\\*?")) {
                    throw error(item, "'" + rule + "' is not a rule id (letters, digits, - _ . and an optional final *)");
                }
                rules.add(rule);
            }
            return new Leniency(rules, by);
        }

        boolean flag(Map<String, Node> fields, String key) {
            if (!fields.containsKey(key)) {
                return false;
            }
            String v = scalar(fields.get(key));
            if (!v.equals("true") && !v.equals("false")) {
                throw error(fields.get(key), "'" + key + "' is '" + v + "' but must be true or false");
            }
            return Boolean.parseBoolean(v);
        }
    }
}
