package fr.passerelle.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rule sets the passerelle-rules jar carries, found by listing it: the EN 16931 version (CEN's
 * Schematron for UBL and CII) and every French CTC version with the reception date from which it
 * applies. Nothing here names a version: a rule-set upgrade is a new jar, not new code.
 */
public final class RuleSets {

    static final String ROOT = "passerelle-rules/";
    private static final String SCHEMATRON = ROOT + "external/schematron/";
    /** The schema of the reform's lifecycle status messages (UN/CEFACT CDAR D22B). */
    static final String CDAR_XSD = ROOT + "external/schemas/d22b/cdar/CrossDomainAcknowledgementAndResponse_100pD22B.xsd";
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)+");
    /** 20260216_BR-FR-Flux2-Schematron-CII_V1.3.0.xslt: published on 2026-02-16. */
    private static final Pattern DATED = Pattern.compile("(\\d{8})_.+\\.xslt");

    /** One French CTC rule set: the resources of its Schematron per kind of message (null: not published). */
    public record French(String version, LocalDate inForce, String cii, String ubl, String cdar, String extendedCii,
                         String extendedUbl) {
    }

    private final String en16931;
    private final List<French> french;

    private RuleSets(String en16931, List<French> french) {
        this.en16931 = en16931;
        this.french = french;
    }

    /** The EN 16931 version carried (the newest, should a jar carry several). */
    public String en16931() {
        return en16931;
    }

    String en16931Ubl() {
        return SCHEMATRON + en16931 + "/ubl/EN16931-UBL-validation.xslt";
    }

    String en16931Cii() {
        return SCHEMATRON + en16931 + "/cii/EN16931-CII-validation.xslt";
    }

    /** Every French rule set, oldest first. */
    public List<French> french() {
        return french;
    }

    /**
     * The French rule set an invoice received on that day is judged by: the newest in force that
     * day; before the first one came into force, the first.
     */
    public French frenchAt(LocalDate received) {
        French chosen = french.get(0);
        for (French f : french) {
            if (!f.inForce().isAfter(received)) {
                chosen = f;
            }
        }
        return chosen;
    }

    /** Lists the rule sets of the jar on the class path. */
    public static synchronized RuleSets onClassPath() {
        List<String> files = list(SCHEMATRON);
        Properties calendar = calendar();
        TreeMap<String, String> en = new TreeMap<>(RuleSets::compareVersions);
        Map<String, Map<String, String>> frenchFiles = new HashMap<>();
        Map<String, LocalDate> published = new HashMap<>();
        for (String file : files) {
            String[] parts = file.split("/");
            if (parts.length == 3 && VERSION.matcher(parts[0]).matches() && parts[1].equals("cii")) {
                en.put(parts[0], parts[0]);
            } else if (parts.length == 4 && parts[0].equals("ctc") && VERSION.matcher(parts[1]).matches()) {
                Matcher dated = DATED.matcher(parts[3]);
                if (dated.matches()) {
                    frenchFiles.computeIfAbsent(parts[1], v -> new HashMap<>()).put(kind(parts[3]), SCHEMATRON + file);
                    published.merge(parts[1], LocalDate.parse(dated.group(1), DateTimeFormatter.BASIC_ISO_DATE),
                            (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }
        if (en.isEmpty() || frenchFiles.isEmpty()) {
            throw new IllegalStateException("The passerelle-rules jar carries no EN 16931 or no French rule set: "
                    + files.size() + " files under " + SCHEMATRON);
        }
        List<French> french = new ArrayList<>();
        frenchFiles.forEach((version, kinds) -> {
            if (version.startsWith("0.")) {
                return; // drafts published before the rules were settled: never applied
            }
            String date = calendar.getProperty("fr.ctc." + version);
            LocalDate inForce = date == null ? published.get(version) : LocalDate.parse(date.trim());
            french.add(new French(version, inForce, kinds.get("cii"), kinds.get("ubl"), kinds.get("cdar"),
                    kinds.get("extended-cii"), kinds.get("extended-ubl")));
        });
        french.sort(Comparator.comparing(French::inForce).thenComparing(French::version, RuleSets::compareVersions));
        return new RuleSets(en.lastKey(), List.copyOf(french));
    }

    private static String kind(String fileName) {
        String upper = fileName.toUpperCase(java.util.Locale.ROOT);
        String syntax = upper.contains("-CDAR") ? "cdar" : upper.contains("-UBL") ? "ubl" : "cii";
        return upper.contains("EXTENDED-CTC-FR") ? "extended-" + syntax : syntax;
    }

    /** 1.3.16 after 1.3.9; 1.4.0-04 after 1.4.0-03. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static Properties calendar() {
        Properties p = new Properties();
        try (InputStream in = RuleSets.class.getClassLoader().getResourceAsStream(ROOT + "calendar.properties")) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The files under a folder of the class path, relative to it, whether it lies in a jar or on disk. */
    private static List<String> list(String folder) {
        URL url = RuleSets.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IllegalStateException("The rule sets are missing from the class path (" + folder
                    + "): the passerelle-rules jar belongs beside the gateway's");
        }
        try {
            URI uri = url.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return walk(Paths.get(uri));
            }
            FileSystem opened = null;
            FileSystem jar;
            try {
                jar = opened = FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException e) {
                jar = FileSystems.getFileSystem(uri);
            }
            try {
                return walk(jar.provider().getPath(uri));
            } finally {
                if (opened != null) {
                    opened.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> walk(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }
}
