package fr.passerelle.treasury;

/** The FTP SITE parameters the DGFiP transfer gateway routes a PES file by. */
public final class SiteCommands {

    public static final String P_DEST = "P_DEST";
    public static final String P_APPLI = "P_APPLI";
    public static final String P_MSG = "P_MSG";
    /** The application code of PES V2 flows. */
    public static final String GHELPES2 = "GHELPES2";

    private SiteCommands() {
    }

    /** {@code PES#<CodCol>#<IdPost>#<CodBud>}, the P_MSG of a PES flow of that EnTetePES. */
    public static String pMsg(String codCol, String idPost, String codBud) {
        return "PES#" + codCol + "#" + idPost + "#" + codBud;
    }
}
