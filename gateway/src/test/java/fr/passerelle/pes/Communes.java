package fr.passerelle.pes;

import java.util.List;

import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.InvoicePolicy;

/** Test communes whose identifiers match the shared PES samples' headers. */
final class Communes {

    private Communes() {
    }

    /** Matches samples/pes/PES_ex.xml (SICOVAL). */
    static Commune sicoval() {
        return commune("sicoval", "Sicoval", "24310063300011", "031007", "100", List.of("00"));
    }

    /** Matches samples/pes/PESALR2_25060187900027_190328_001.xml (Berger-Levrault test commune). */
    static Commune bergerLevrault() {
        return commune("bl", "Commune de Berger-Levrault", "75580064600099", "010001", "244", List.of("00"));
    }

    static Commune commune(String id, String name, String siret, String idPost, String codCol, List<String> codBuds) {
        return new Commune(id, name, siret, siret.substring(0, 9), idPost, codCol, codBuds, List.of(), null, null,
                InvoicePolicy.DEFAULT, false, null, null);
    }
}
