package fr.mssante.operator.trust.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.mssante.operator.trust.dn.DistinguishedName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustListValidatorTest {

    static TrustList listOf(int n) {
        List<TrustListEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(new TrustListEntry("d" + i + ".fr", DistinguishedName.parse("CN=mx.op.fr,O=OP,C=FR"), "", "",
                    "", null));
        }
        return TrustList.of(entries, null, "sha" + n, false);
    }

    @Test
    void refusesAnEmptyList() {
        assertThat(new TrustListValidator().validate(listOf(10), TrustList.empty()))
                .isEqualTo(TrustListValidator.Verdict.refuse("empty list"));
        assertThat(new TrustListValidator().validate(TrustList.empty(), TrustList.empty()).accepted()).isFalse();
    }

    @Test
    void refusesASuspiciouslySmallList() {
        TrustListValidator.Verdict verdict = new TrustListValidator(0.9).validate(listOf(100), listOf(89));

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).contains("suspiciously small", "89", "100", "minimum 90");
    }

    @Test
    void acceptsAListAtTheThresholdOrLarger() {
        TrustListValidator validator = new TrustListValidator(0.9);

        assertThat(validator.validate(listOf(100), listOf(90))).isEqualTo(TrustListValidator.Verdict.OK);
        assertThat(validator.validate(listOf(100), listOf(150)).accepted()).isTrue();
    }

    @Test
    void acceptsTheFirstListWhateverItsSize() {
        assertThat(new TrustListValidator().validate(TrustList.empty(), listOf(1)).accepted()).isTrue();
    }

    @Test
    void thresholdIsConfigurable() {
        assertThat(new TrustListValidator(0.5).validate(listOf(100), listOf(50)).accepted()).isTrue();
        assertThat(new TrustListValidator(0.5).validate(listOf(100), listOf(49)).accepted()).isFalse();
        assertThatThrownBy(() -> new TrustListValidator(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void diffCountsAddedAndRemovedPairs() {
        TrustListDiff diff = TrustListDiff.between(listOf(3), listOf(5));

        assertThat(diff.added()).extracting(DomainDn::domain).containsExactlyInAnyOrder("d3.fr", "d4.fr");
        assertThat(diff.removed()).isEmpty();
        assertThat(TrustListDiff.between(listOf(5), listOf(3)).removed()).hasSize(2);
        assertThat(TrustListDiff.between(listOf(3), listOf(3)).isEmpty()).isTrue();
    }

    @Test
    void domainsAreNormalised() {
        assertThat(Domains.normalize(" Exemple.MSSante.fr. ")).isEqualTo("exemple.mssante.fr");
        assertThat(Domains.normalize("hôpital.fr")).isEqualTo("xn--hpital-ixa.fr");
        assertThat(Domains.normalize(null)).isEmpty();
    }
}
