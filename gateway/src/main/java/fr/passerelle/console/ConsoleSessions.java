package fr.passerelle.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Signed-in sessions, in the database (any node serves them): the cookie holds 32 random bytes,
 * the database their SHA-256 only, the user and the session's CSRF token, which every form posts
 * back. A session ends at sign-out or after {@link #LIFETIME}.
 */
public final class ConsoleSessions {

    public static final Duration LIFETIME = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An open session: the cookie's value (only at creation), the user, its CSRF token. */
    public record Session(String cookie, ConsoleAccounts.Account account, String csrf) {
    }

    private final JdbcTemplate jdbc;
    private final ConsoleAccounts accounts;
    private final Clock clock;

    public ConsoleSessions(DataSource dataSource, ConsoleAccounts accounts, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.accounts = accounts;
        this.clock = clock;
    }

    public Session open(ConsoleAccounts.Account account) {
        String cookie = token();
        String csrf = token();
        jdbc.update("DELETE FROM console_session WHERE expires_at < ?", Timestamp.from(clock.instant()));
        jdbc.update("INSERT INTO console_session (id_hash, login, csrf_token, expires_at) VALUES (?, ?, ?, ?)",
                sha256(cookie), account.login(), csrf, Timestamp.from(clock.instant().plus(LIFETIME)));
        return new Session(cookie, account, csrf);
    }

    public Optional<Session> find(String cookie) {
        if (cookie == null || cookie.isBlank()) {
            return Optional.empty();
        }
        return jdbc.query("SELECT login, csrf_token FROM console_session WHERE id_hash = ? AND expires_at > ?",
                (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}, sha256(cookie),
                Timestamp.from(clock.instant())).stream().findFirst()
                .flatMap(row -> accounts.find(row[0]).map(a -> new Session(cookie, a, row[1])));
    }

    public void close(String cookie) {
        if (cookie != null) {
            jdbc.update("DELETE FROM console_session WHERE id_hash = ?", sha256(cookie));
        }
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of a posted CSRF token with the session's. */
    static boolean sameToken(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
    }
}
