package fr.passerelle.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The French message shown to the commune or the supplier for a rule id
 * ({@code validation/messages-fr.properties}). A rule without its own sentence still gets a
 * French one: it names the rule and, in French, the business terms (BT-n, BG-n) its text
 * concerns, with the original text beside it in the report.
 */
public final class RuleMessages {

    private static final Pattern TERM = Pattern.compile("\\b(B[TG]-\\d+)\\b");

    private final Properties french = load("validation/messages-fr.properties");
    private final Properties terms = load("validation/terms-fr.properties");

    public String french(String rule, String originalText) {
        String message = french.getProperty(rule);
        if (message != null) {
            return message;
        }
        int family = rule.lastIndexOf('-');
        if (family > 0 && (message = french.getProperty(rule.substring(0, family) + "-*")) != null) {
            return message; // one sentence for a family of rules: CII-DT-*
        }
        if (rule.startsWith("BR-FR") && originalText != null && !originalText.isBlank()) {
            return originalText; // the French administration writes its rules' messages in French
        }
        Set<String> named = new LinkedHashSet<>();
        if (originalText != null) {
            Matcher m = TERM.matcher(originalText);
            while (m.find()) {
                String term = terms.getProperty(m.group(1));
                named.add(m.group(1) + (term == null ? "" : " : " + term));
            }
        }
        String about = named.isEmpty() ? "" : " Elle porte sur : " + String.join(", ", named) + ".";
        return "La facture ne respecte pas la règle " + rule + "." + about
                + " Le texte officiel de la règle est joint ; faites corriger la facture par le logiciel qui l'a produite.";
    }

    public boolean has(String rule) {
        return french.containsKey(rule);
    }

    private static Properties load(String resource) {
        Properties p = new Properties();
        try (InputStream in = RuleMessages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
