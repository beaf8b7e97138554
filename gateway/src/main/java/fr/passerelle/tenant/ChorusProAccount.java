package fr.passerelle.tenant;

/**
 * A commune on Chorus Pro (tenants.yaml, "chorusPro:"): its structure (the idDestinataire of the
 * invoices it receives), its technical account, and the status a refused invoice is given there.
 * The password comes from PASSERELLE_CHORUS_PASSWORD_<COMMUNE> (or the file, for the demo); it is
 * never logged nor shown.
 */
public record ChorusProAccount(long structureId, String login, String password, String onRejected) {

    public static final String REJETEE = "REJETEE";
    public static final String SUSPENDUE = "SUSPENDUE";

    @Override
    public String toString() {
        return "ChorusProAccount[structureId=" + structureId + ", login=" + login + ", onRejected=" + onRejected + "]";
    }
}
