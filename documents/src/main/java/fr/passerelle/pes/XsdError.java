package fr.passerelle.pes;

import java.util.Map;

import fr.passerelle.document.Rejection;

/**
 * One XSD (or well-formedness) error in a PES file: where it is, which element it is about, and
 * the parser's message with namespace URIs taken out. {@link #french()} is what a commune reads.
 */
public record XsdError(int line, int column, String element, String path, String key, String message, boolean fatal) {

    private static final Map<String, String> FRENCH = Map.ofEntries(
            Map.entry("cvc-complex-type.2.1", "cet élément doit être vide : dans le PES, la valeur s'écrit dans "
                    + "l'attribut V=\"…\", jamais comme texte de l'élément"),
            Map.entry("cvc-complex-type.2.3", "cet élément ne doit contenir que des éléments, pas de texte"),
            Map.entry("cvc-complex-type.2.4.a", "élément inattendu à cet endroit (nom ou ordre des balises non conforme au schéma)"),
            Map.entry("cvc-complex-type.2.4.b", "il manque un élément obligatoire dans ce bloc"),
            Map.entry("cvc-complex-type.2.4.d", "élément en trop à la fin de ce bloc"),
            Map.entry("cvc-complex-type.3.2.2", "attribut non permis sur cet élément"),
            Map.entry("cvc-complex-type.4", "l'attribut obligatoire manque (dans le PES, la valeur s'écrit V=\"…\")"),
            Map.entry("cvc-attribute.3", "la valeur de l'attribut n'est pas valide pour cet élément"),
            Map.entry("cvc-datatype-valid.1.2.1", "la valeur n'a pas le format attendu (date, nombre, code…)"),
            Map.entry("cvc-datatype-valid.1.2.3", "la valeur n'a pas le format attendu"),
            Map.entry("cvc-pattern-valid", "la valeur ne respecte pas le format imposé par le schéma"),
            Map.entry("cvc-enumeration-valid", "la valeur n'est pas dans la liste des codes autorisés"),
            Map.entry("cvc-maxLength-valid", "la valeur est trop longue"),
            Map.entry("cvc-minLength-valid", "la valeur est vide ou trop courte"),
            Map.entry("cvc-length-valid", "la valeur n'a pas la longueur imposée"),
            Map.entry("cvc-totalDigits-valid", "la valeur a trop de chiffres"),
            Map.entry("cvc-fractionDigits-valid", "la valeur a trop de décimales"),
            Map.entry("cvc-minExclusive-valid", "la valeur est trop petite"),
            Map.entry("cvc-minInclusive-valid", "la valeur est trop petite"),
            Map.entry("cvc-maxExclusive-valid", "la valeur est trop grande"),
            Map.entry("cvc-maxInclusive-valid", "la valeur est trop grande"),
            Map.entry("cvc-elt.1.a", "l'élément racine n'est pas celui attendu (PES_Aller, PES_ACQUIT ou PES_Retour)"),
            Map.entry("cvc-id.1", "une référence désigne un identifiant (attribut Id) absent du fichier"),
            Map.entry("cvc-id.2", "le même identifiant (attribut Id) est utilisé deux fois"));

    /** Built from a parser exception: key and message split, {uri}:Name shortened to Name. */
    public static XsdError of(String text, int line, int column, String element, String path, boolean fatal) {
        String raw = text == null ? "" : text;
        int colon = raw.indexOf(": ");
        String key = colon > 0 && raw.startsWith("cvc-") ? raw.substring(0, colon) : fatal ? "XML" : "XSD";
        String detail = (key.startsWith("cvc-") ? raw.substring(colon + 2) : raw)
                .replaceAll("\"[^\"]*\":", ""); // {"http://…#":Signature} → {Signature}: the reader wants the name
        return new XsdError(line, column, element, path, key, detail, fatal);
    }

    /** "ligne 12, colonne 4" */
    public String location() {
        return "ligne " + line + ", colonne " + column;
    }

    /** A sentence a commune's accountant can act on, naming the element and the line. */
    public String french() {
        String where = (element == null ? "" : "élément " + element + ", ") + "ligne " + line;
        if (fatal) {
            return "Le fichier n'est pas un XML bien formé (" + where + ") : " + message;
        }
        return "Le flux ne respecte pas le schéma PES V2 (" + where + ") : "
                + FRENCH.getOrDefault(key, "contenu non conforme au schéma") + ". Détail : " + message;
    }

    /** As the project's refusal record (layer "pes", rule PES-XSD). */
    public Rejection rejection() {
        return new Rejection("pes", "PES-XSD", location() + (path == null || path.isEmpty() ? "" : ", " + path), french());
    }
}
