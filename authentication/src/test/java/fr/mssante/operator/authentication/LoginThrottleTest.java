package fr.mssante.operator.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.testsupport.MutableClock;

/** The password-login throttle alone (no James, no database): growing delays per (source, login) and per source. */
class LoginThrottleTest {
    private static final String HOLDER_HOME = "192.0.2.10";
    private static final String ATTACKER = "198.51.100.66";
    private static final String LOGIN = "dr.a@op.test";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(new InMemoryThrottleStore(), LoginThrottle.Settings.DEFAULT, clock);

    /** One attempt as a server makes it: refused unchecked while blocked, else a failure is counted. */
    private boolean attemptFails(String source, String login) throws Exception {
        if (throttle.blocked(source, login).isPresent()) {
            return false;
        }
        throttle.failed(source, login);
        return true;
    }

    @Test
    void delaysGrowExponentiallyFromTheFirstCountedFailureBeyondTheFreeOnesAndAreBounded() {
        LoginThrottle.Backoff backoff = new LoginThrottle.Backoff(5, Duration.ofSeconds(1), Duration.ofMinutes(15));
        assertThat(backoff.delayAfter(5)).isZero();
        assertThat(backoff.delayAfter(6)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayAfter(7)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(10)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.delayAfter(16)).isEqualTo(Duration.ofMinutes(15));
        assertThat(backoff.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void anAttackerElsewhereNeverLocksTheHolderOut() throws Exception {
        for (int attempt = 0; attempt < 1000; attempt++) {
            attemptFails(ATTACKER, LOGIN);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(throttle.blocked(ATTACKER, LOGIN)).as("the attacker is slowed down").isPresent();
        assertThat(throttle.blocked(HOLDER_HOME, LOGIN)).as("the holder, from elsewhere, is not").isEmpty();
        assertThat(throttle.blocked(HOLDER_HOME, "dr.b@op.test")).isEmpty();
    }

    @Test
    void guessingOneLoginBelowTheOldPerMinuteThresholdStillGetsGrowingDelays() throws Exception {
        // 19 a minute used to be free forever (the lock needed 20 within a minute)
        List<Duration> blocks = new ArrayList<>();
        int counted = 0;
        for (int attempt = 0; attempt < 19 * 60; attempt++) {
            Optional<LoginThrottle.Block> blocked = throttle.blocked(ATTACKER, LOGIN);
            if (blocked.isEmpty()) {
                counted++;
                throttle.failed(ATTACKER, LOGIN).ifPresent(block -> blocks.add(Duration.between(clock.instant(), block.until())));
            }
            clock.advance(Duration.ofMillis(60_000 / 19));
        }
        assertThat(blocks).as("growing, then bounded").startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4))
            .isSorted().last().isEqualTo(Duration.ofMinutes(15));
        assertThat(counted).as("passwords actually checked in one hour (was 1,140)").isLessThan(25);
    }

    @Test
    void aSlowSprayerOverManyLoginsGetsGrowingDelaysFromItsSourceAddress() throws Exception {
        List<Duration> blocks = new ArrayList<>();
        int checked = 0;
        for (int account = 0; account < 19 * 60; account++) {
            String login = "user" + account + "@op.test";
            if (throttle.blocked(ATTACKER, login).isEmpty()) {
                checked++;
                throttle.failed(ATTACKER, login).ifPresent(block -> blocks.add(Duration.between(clock.instant(), block.until())));
            }
            clock.advance(Duration.ofMillis(60_000 / 19));
        }
        assertThat(blocks).isNotEmpty().startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)).isSorted()
            .last().isEqualTo(Duration.ofMinutes(15));
        assertThat(checked).as("one password per account, 19 a minute, used to be free (1,140 an hour)").isLessThan(45);
        assertThat(throttle.blocked(HOLDER_HOME, "user1@op.test")).isEmpty();
    }

    @Test
    void theHolderAfterAFewTyposIsNotSlowedAndASuccessForgetsThemButNotTheSourceCount() throws Exception {
        for (int typo = 0; typo < 5; typo++) {
            assertThat(throttle.failed(HOLDER_HOME, LOGIN)).isEmpty();
        }
        assertThat(throttle.blocked(HOLDER_HOME, LOGIN)).isEmpty();
        throttle.succeeded(HOLDER_HOME, LOGIN);
        for (int typo = 0; typo < 5; typo++) {
            assertThat(throttle.failed(HOLDER_HOME, LOGIN)).as("counter restarted after the success").isEmpty();
        }
        throttle.succeeded(HOLDER_HOME, LOGIN);
        // ten failures so far from this source; ten more on other logins, and the 21st starts a source block
        for (int other = 0; other < 10; other++) {
            assertThat(throttle.failed(HOLDER_HOME, "x" + other + "@op.test")).isEmpty();
        }
        assertThat(throttle.failed(HOLDER_HOME, "y@op.test")).as("one valid account does not reset a sprayer's source count")
            .isPresent();
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriodAndOperatorsCanLiftBlocks() throws Exception {
        for (int attempt = 0; attempt < 8; attempt++) {
            throttle.failed(ATTACKER, LOGIN);
        }
        assertThat(throttle.blocked(ATTACKER, LOGIN)).isPresent();
        clock.advance(Duration.ofHours(25));
        assertThat(throttle.blocked(ATTACKER, LOGIN)).isEmpty();
        assertThat(throttle.failed(ATTACKER, LOGIN)).as("counting starts again").isEmpty();

        for (int attempt = 0; attempt < 8; attempt++) {
            throttle.failed(ATTACKER, LOGIN);
        }
        throttle.unlock("DR.A@op.test");
        assertThat(throttle.blocked(ATTACKER, LOGIN)).isEmpty();
        for (int attempt = 0; attempt < 25; attempt++) {
            throttle.failed(ATTACKER, "z" + attempt + "@op.test");
        }
        assertThat(throttle.blocked(ATTACKER, "anyone@op.test")).isPresent();
        throttle.unlockSource(ATTACKER);
        assertThat(throttle.blocked(ATTACKER, "anyone@op.test")).isEmpty();
    }

    @Test
    void anUnknownClientAddressIsThrottledPerLoginOnlyNeverAsOneSharedSource() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            throttle.failed(null, "u" + attempt + "@op.test");
        }
        assertThat(throttle.blocked(null, "someone@op.test")).isEmpty();
    }
}
