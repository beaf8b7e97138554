package fr.passerelle.api;

import java.time.Duration;

import fr.passerelle.settings.Settings;

/** The HTTP front door's settings, read in one place: the read timeout and the largest body accepted. */
public record ApiOptions(Duration readTimeout, long maxBodySize) {

    public static ApiOptions from(Settings s) {
        return new ApiOptions(s.getDuration("passerelle.http.read-timeout"), s.getSize("camel.server.maxBodySize"));
    }
}
