package fr.passerelle.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import fr.passerelle.flow.Database;

/** Console accounts and sessions on the database: hashed passwords, throttled sign-ins, sessions by hash. */
class ConsoleAccountsTest {

    @TempDir
    Path dir;
    Database database;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T08:00:00Z"));

    @BeforeEach
    void open() {
        database = Database.open(Database.h2Url(dir), "sa", "", 2);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void passwordsAreKeptHashedAndAnAccountantBelongsToOneCommune() {
        ConsoleAccounts accounts = new ConsoleAccounts(database.dataSource(), clock);
        assertThat(accounts.create("marie", "un mot de passe long", ConsoleAccounts.Role.ACCOUNTANT, "aubeval")).isTrue();
        assertThat(accounts.create("marie", "un autre mot de passe", ConsoleAccounts.Role.OPERATOR, null)).isFalse();
        String stored = new JdbcTemplate(database.dataSource()).queryForObject(
                "SELECT password_hash FROM console_account WHERE login = 'marie'", String.class);
        assertThat(stored).startsWith("$2").doesNotContain("un mot de passe long");
        ConsoleAccounts.Account marie = accounts.signIn("marie", "un mot de passe long").account();
        assertThat(marie.sees("aubeval")).isTrue();
        assertThat(marie.sees("belcourt")).isFalse();
        assertThatThrownBy(() -> accounts.create("court", "trop court", ConsoleAccounts.Role.OPERATOR, null))
                .hasMessageContaining("12");
        assertThatThrownBy(() -> accounts.create("sans", "un mot de passe long", ConsoleAccounts.Role.ACCOUNTANT, null))
                .hasMessageContaining("commune");
    }

    @Test
    void repeatedFailuresLockTheAccountForAWhileEvenForTheRightPassword() {
        ConsoleAccounts accounts = new ConsoleAccounts(database.dataSource(), clock);
        accounts.create("paul", "le bon mot de passe", ConsoleAccounts.Role.OPERATOR, null);
        for (int i = 1; i < ConsoleAccounts.MAX_FAILURES; i++) {
            assertThat(accounts.signIn("paul", "mauvais").lockedUntil()).isNull();
        }
        assertThat(accounts.signIn("paul", "mauvais").lockedUntil()).isEqualTo(clock.instant().plus(ConsoleAccounts.LOCK));
        assertThat(accounts.signIn("paul", "le bon mot de passe").ok()).isFalse();
        clock.advance(ConsoleAccounts.LOCK.plusSeconds(1));
        assertThat(accounts.signIn("paul", "le bon mot de passe").ok()).isTrue();
        assertThat(accounts.signIn("inconnu", "le bon mot de passe").ok()).isFalse();
    }

    @Test
    void aSessionIsFoundByItsCookieUntilItEndsOrExpires() {
        ConsoleAccounts accounts = new ConsoleAccounts(database.dataSource(), clock);
        ConsoleSessions sessions = new ConsoleSessions(database.dataSource(), accounts, clock);
        accounts.create("lea", "le bon mot de passe", ConsoleAccounts.Role.OPERATOR, null);
        ConsoleSessions.Session open = sessions.open(accounts.find("lea").orElseThrow());
        assertThat(sessions.find(open.cookie())).hasValueSatisfying(s -> assertThat(s.csrf()).isEqualTo(open.csrf()));
        assertThat(new JdbcTemplate(database.dataSource()).queryForObject("SELECT COUNT(*) FROM console_session "
                + "WHERE id_hash = ?", Integer.class, open.cookie())).isZero(); // only its hash is stored
        sessions.close(open.cookie());
        assertThat(sessions.find(open.cookie())).isEmpty();
        ConsoleSessions.Session again = sessions.open(accounts.find("lea").orElseThrow());
        clock.advance(ConsoleSessions.LIFETIME.plusSeconds(1));
        assertThat(sessions.find(again.cookie())).isEmpty();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
