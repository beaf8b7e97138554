package fr.passerelle.tenant;

import java.util.List;

/**
 * Rules a commune chose to report as warnings rather than errors (tenants.yaml, "invoices: relax:"),
 * and who decided it, which every report that used the leniency names. A rule is named by its id,
 * or by a prefix ending in '*' ("CII-DT-*": the CEN CII binding's data-type rules).
 */
public record Leniency(List<String> rules, String by) {

    public static final Leniency NONE = new Leniency(List.of(), null);

    public Leniency {
        rules = List.copyOf(rules);
    }

    /** The rule as written in the policy that relaxes this rule id, or null. */
    public String relaxing(String ruleId) {
        for (String rule : rules) {
            if (rule.endsWith("*") ? ruleId.startsWith(rule.substring(0, rule.length() - 1)) : rule.equals(ruleId)) {
                return rule;
            }
        }
        return null;
    }
}
