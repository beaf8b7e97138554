package fr.passerelle.console;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The console's user accounts, in the database: a login, a BCrypt hash of the password, a role
 * (operator: every commune and the actions; accountant: one commune, read only) and the commune.
 * Failed sign-ins are counted per account: after {@link #MAX_FAILURES} in a row the account is
 * locked for {@link #LOCK}, which a right password does not shorten.
 */
public final class ConsoleAccounts {

    public static final int MAX_FAILURES = 5;
    public static final Duration LOCK = Duration.ofMinutes(5);
    public static final int MIN_PASSWORD = 12;

    public enum Role { OPERATOR, ACCOUNTANT }

    /** Who is signed in. */
    public record Account(String login, Role role, String communeId) {
        public boolean operator() {
            return role == Role.OPERATOR;
        }

        /** Whether this user may see that commune's flows (an accountant: only its own). */
        public boolean sees(String commune) {
            return operator() || communeId != null && communeId.equals(commune);
        }
    }

    /** The outcome of a sign-in: the account, or why not (refused, or locked until when). */
    public record SignIn(Account account, Instant lockedUntil) {
        public boolean ok() {
            return account != null;
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final BCryptPasswordEncoder hashes = new BCryptPasswordEncoder(12);
    /** Compared against when the login is unknown, so that a wrong login costs the time of a wrong password. */
    private final String decoy;

    public ConsoleAccounts(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.decoy = hashes.encode("passerelle-decoy-password");
    }

    /** Creates an account; false when the login is taken. */
    public boolean create(String login, String password, Role role, String communeId) {
        if (password.length() < MIN_PASSWORD) {
            throw new IllegalArgumentException("a console password has at least " + MIN_PASSWORD + " characters");
        }
        if (role == Role.ACCOUNTANT && (communeId == null || communeId.isBlank())) {
            throw new IllegalArgumentException("an accountant belongs to one commune");
        }
        try {
            jdbc.update("INSERT INTO console_account (login, password_hash, role, commune_id, created_at) "
                    + "VALUES (?, ?, ?, ?, ?)", login, hashes.encode(password), role.name(),
                    role == Role.OPERATOR ? null : communeId, Timestamp.from(clock.instant()));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public boolean exists(String login) {
        return !jdbc.queryForList("SELECT 1 FROM console_account WHERE login = ?", Integer.class, login).isEmpty();
    }

    public Optional<Account> find(String login) {
        return jdbc.query("SELECT login, role, commune_id FROM console_account WHERE login = ?",
                (rs, n) -> new Account(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getString(3)), login)
                .stream().findFirst();
    }

    /** Whether the account has that password, without counting a failure (the demo's check). */
    public boolean hasPassword(String login, String password) {
        return jdbc.queryForList("SELECT password_hash FROM console_account WHERE login = ?", String.class, login)
                .stream().anyMatch(hash -> hashes.matches(password, hash));
    }

    public SignIn signIn(String login, String password) {
        List<Object[]> rows = jdbc.query("SELECT password_hash, failed_sign_ins, locked_until FROM console_account "
                + "WHERE login = ?", (rs, n) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getTimestamp(3)}, login);
        if (rows.isEmpty()) {
            hashes.matches(password, decoy);
            return new SignIn(null, null);
        }
        Timestamp locked = (Timestamp) rows.get(0)[2];
        Instant now = clock.instant();
        if (locked != null && locked.toInstant().isAfter(now)) {
            return new SignIn(null, locked.toInstant());
        }
        if (!hashes.matches(password, (String) rows.get(0)[0])) {
            int failures = (Integer) rows.get(0)[1] + 1;
            Instant lockUntil = failures >= MAX_FAILURES ? now.plus(LOCK) : null;
            jdbc.update("UPDATE console_account SET failed_sign_ins = ?, locked_until = ? WHERE login = ?",
                    failures >= MAX_FAILURES ? 0 : failures, lockUntil == null ? null : Timestamp.from(lockUntil), login);
            return new SignIn(null, lockUntil);
        }
        jdbc.update("UPDATE console_account SET failed_sign_ins = 0, locked_until = NULL WHERE login = ?", login);
        return new SignIn(find(login).orElseThrow(), null);
    }
}
