package fr.passerelle.intake;

import fr.passerelle.settings.Settings;

/** The intake's settings, read in one place: {@code passerelle.intake.*} and the suppliers' SFTP server {@code passerelle.sftp.*}. */
public record IntakeOptions(long maxSize, boolean sftpEnabled, String sftpHost, int sftpPort) {

    public static IntakeOptions from(Settings s) {
        return new IntakeOptions(s.getSize("passerelle.intake.max-size"), s.getBoolean("passerelle.sftp.enabled"),
                s.get("passerelle.sftp.host"), s.getInt("passerelle.sftp.port"));
    }
}
