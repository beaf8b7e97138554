package fr.passerelle.pes;

import java.time.LocalDate;

import fr.passerelle.tenant.Commune;

/**
 * The EnTetePES of a flow: who it is for at the Trésor public. Checked against the formats the
 * schema imposes when built, so that a wrong commune configuration fails here, with the element
 * named, and not as a rejected flow days later.
 *
 * @param idPost        the poste comptable (codique): 6 or 7 digits, or 02A/02B and 3–4 digits
 * @param idColl        the commune's SIRET (14 digits)
 * @param codCol        code collectivité (3 digits)
 * @param codBud        code budget (2 characters, digit last)
 * @param libelleColBud label of the budget, at most 38 characters (null: not written)
 * @param dteStr        date the structure was issued
 */
public record PesHeader(String idPost, String idColl, String codCol, String codBud, String libelleColBud, LocalDate dteStr) {

    /** Base_Texte38. */
    static final int LIBELLE_MAX = 38;

    public PesHeader {
        require(idPost, "(02[AB][0-9]{3,4}|[0-9]{6,7})", "IdPost", "6 ou 7 chiffres (ou 02A/02B suivi de 3 ou 4 chiffres)");
        require(idColl, "[0-9]{14}", "IdColl", "le SIRET de la collectivité, 14 chiffres");
        require(codCol, "[0-9]{3}", "CodCol", "3 chiffres");
        require(codBud, "[0-9A-Z][0-9]", "CodBud", "2 caractères, le second un chiffre");
        if (dteStr == null) {
            throw new IllegalArgumentException("DteStr : la date d'émission du flux est obligatoire");
        }
        if (libelleColBud != null) {
            libelleColBud = libelleColBud.strip().replaceAll("\\s+", " ");
            if (libelleColBud.length() > LIBELLE_MAX) {
                libelleColBud = libelleColBud.substring(0, LIBELLE_MAX).strip();
            }
            if (libelleColBud.isEmpty()) {
                libelleColBud = null;
            }
        }
    }

    /**
     * The header of a flow sent for this commune on this budget; the label is the commune's name.
     *
     * @throws IllegalArgumentException if the budget is not one of the commune's, or if the commune's
     *                                  configuration does not fit the schema (the message names the element)
     */
    public static PesHeader forCommune(Commune commune, String codBud, LocalDate dteStr) {
        if (commune.codBuds() == null || !commune.codBuds().contains(codBud)) {
            throw new IllegalArgumentException("CodBud : le budget « " + codBud + " » n'est pas un budget de la commune "
                    + commune.name() + " (budgets configurés : " + commune.codBuds() + ")");
        }
        return new PesHeader(commune.idPost(), commune.siret(), commune.codCol(), codBud, commune.name(), dteStr);
    }

    private static void require(String value, String pattern, String element, String expected) {
        if (value == null || !value.matches(pattern)) {
            throw new IllegalArgumentException(element + " : « " + value + " » n'est pas valide, attendu " + expected);
        }
    }
}
