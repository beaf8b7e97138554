package fr.passerelle.chorus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import fr.passerelle.flow.Flow;

/** A flow's Chorus Pro part as the API shows it: the invoice there, and every status sent with the answer. */
public final class ChorusView {

    private final ChorusLedger ledger;

    public ChorusView(ChorusLedger ledger) {
        this.ledger = ledger;
    }

    public Optional<Map<String, Object>> of(Flow flow) {
        return ledger.forFlow(flow.id()).map(invoice -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("idFacture", invoice.idFacture());
            m.put("numeroFacture", invoice.numeroFacture());
            m.put("pulledAt", invoice.pulledAt().toString());
            List<Map<String, Object>> statuses = ledger.statuses(invoice.idFacture()).stream().map(s -> {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("statut", s.statut());
                one.put("outcome", s.outcome());
                one.put("motif", s.motif());
                one.put("numeroDPMandat", s.numeroDPMandat());
                one.put("codeRetour", s.codeRetour());
                one.put("answer", s.answer());
                one.put("at", s.at().toString());
                return one;
            }).toList();
            m.put("statuses", statuses);
            return m;
        });
    }
}
