package fr.passerelle.pes;

import fr.passerelle.settings.Settings;

/** The PES stage's settings, read in one place: batches ({@code passerelle.pes.batch.*}) and relayed flows. */
public record PesOptions(PjBatcher.Limits batch, long relayMaxSize) {

    public static PesOptions from(Settings s) {
        return new PesOptions(new PjBatcher.Limits(s.getInt("passerelle.pes.batch.max-invoices"),
                s.getSize("passerelle.pes.batch.max-size"), s.getDuration("passerelle.pes.batch.max-wait")),
                s.getSize("passerelle.pes.relay.max-size"));
    }
}
