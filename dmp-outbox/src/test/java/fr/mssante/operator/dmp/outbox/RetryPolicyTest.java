package fr.mssante.operator.dmp.outbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    @Test
    void doublesFromTheBaseAndCapsAtTheMaximum() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.delayAfter(7)).isEqualTo(Duration.ofMinutes(32));
        assertThat(p.delayAfter(8)).isEqualTo(Duration.ofHours(1));
        assertThat(p.delayAfter(1000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesAnInconsistentPolicy() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofHours(2), Duration.ofHours(1), Duration.ofHours(1)))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
