package fr.mssante.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class CompletedEffectsTest {
    @Test
    void anEffectNotedIsDoneOnlyInItsProcessorAndForItsRecipient() {
        CompletedEffects effects = CompletedEffects.none()
            .with(CompletedEffects.key("local-delivery", "stored", "Bruno.Durand@demo.mss.test"))
            .with(CompletedEffects.key("bounces", "dsn-sent"));

        assertThat(effects.done("local-delivery", "stored", "bruno.durand@demo.mss.test")).isTrue();
        assertThat(effects.done("local-delivery", "stored", "alice.martin@demo.mss.test")).isFalse();
        assertThat(effects.done("relay", "stored", "bruno.durand@demo.mss.test")).isFalse();
        assertThat(effects.done("bounces", "dsn-sent")).isTrue();
        assertThat(effects.done("error", "dsn-sent")).isFalse();
    }

    @Test
    void onlyTheRecipientsNotDoneArePendingInTheirOrder() {
        CompletedEffects effects = CompletedEffects.none().with(CompletedEffects.key("local-delivery", "stored", "b@x.test"));

        assertThat(effects.pending("local-delivery", "stored", List.of("a@x.test", "b@x.test", "c@x.test"), Function.identity()))
            .containsExactly("a@x.test", "c@x.test");
        assertThat(effects.with(CompletedEffects.key("local-delivery", "stored", "a@x.test"))
            .with(CompletedEffects.key("local-delivery", "stored", "c@x.test"))
            .pending("local-delivery", "stored", List.of("a@x.test", "b@x.test", "c@x.test"), Function.identity())).isEmpty();
    }

    @Test
    void theNotesTravelAsStringsAndComeBackEqual() {
        CompletedEffects effects = CompletedEffects.none().with(CompletedEffects.key("root", "audit-RECEIVED", "a@x.test"));

        assertThat(CompletedEffects.of(effects.keys())).isEqualTo(effects);
        assertThat(effects.keys()).containsExactly("root|audit-RECEIVED|a@x.test");
    }

    @Test
    void aNameCannotForgeAnotherNote() {
        assertThatThrownBy(() -> CompletedEffects.key("local-delivery|stored", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompletedEffects.key("root", " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
