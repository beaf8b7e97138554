package fr.passerelle.tenant;

/** French company identifiers: SIREN (9 digits) and SIRET (14 digits), both Luhn-checked. */
public final class Siret {

    private Siret() {
    }

    public static boolean isValidSiren(String value) {
        return value != null && value.matches("\\d{9}") && luhn(value);
    }

    public static boolean isValidSiret(String value) {
        return value != null && value.matches("\\d{14}") && luhn(value);
    }

    /** Removes the spaces and dots people write inside identifiers ("213 500 010 00015"). */
    public static String normalise(String raw) {
        return raw == null ? "" : raw.replaceAll("[\\s.\\-]", "");
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
