package fr.passerelle.signature;

import java.time.Duration;

import fr.passerelle.settings.Settings;

/** The signature's settings, read in one place ({@code passerelle.signature.*}). */
public record SignatureOptions(boolean demoKeys, boolean demoKeysAtStart, Duration expiryWarning) {

    public static SignatureOptions from(Settings s) {
        return new SignatureOptions(s.getBoolean("passerelle.signature.demo-keys"),
                s.getBoolean("passerelle.signature.demo-keys-at-start"), s.getDuration("passerelle.signature.expiry-warning"));
    }
}
