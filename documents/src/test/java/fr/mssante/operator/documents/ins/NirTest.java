package fr.mssante.operator.documents.ins;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Key vectors from shared/notes/health-formats.md §3 (python-stdnum examples) and computed Corsican cases. */
class NirTest {
    @ParameterizedTest
    @CsvSource({
        "279035121518989, 89",
        "162018885045327, 27",
        "146026322000196, 96",
        "253072B07300470, 70",
        "253072A07300443, 43",
        "253072a07300443, 43"
    })
    void validKeys(String matricule, int key) {
        NirCheck check = Nir.check(matricule);
        assertThat(check.status()).isEqualTo(NirCheck.Status.VALID);
        assertThat(check.expectedKey()).isEqualTo(key);
        assertThat(check.provisional()).isFalse();
    }

    @Test
    void wrongKeyGivesTheExpectedOne() {
        NirCheck check = Nir.check("279035121518988");
        assertThat(check.status()).isEqualTo(NirCheck.Status.WRONG_KEY);
        assertThat(check.expectedKey()).isEqualTo(89);
    }

    @Test
    void corsicaUsesNineteenAndEighteen() {
        // 2B counts as 18: with 2A's key (43) the 2B number is wrong, and the other way round
        assertThat(Nir.check("253072B07300443").status()).isEqualTo(NirCheck.Status.WRONG_KEY);
        assertThat(Nir.check("253072B07300443").expectedKey()).isEqualTo(70);
        assertThat(Nir.check("253072A07300470").status()).isEqualTo(NirCheck.Status.WRONG_KEY);
        assertThat(Nir.check("253072A07300470").expectedKey()).isEqualTo(43);
        // 2C is no department
        assertThat(Nir.check("253072C07300470").status()).isEqualTo(NirCheck.Status.INVALID_CHARACTERS);
    }

    @Test
    void lengthAndCharacters() {
        assertThat(Nir.check("27903512151898").status()).isEqualTo(NirCheck.Status.WRONG_LENGTH);
        assertThat(Nir.check("2790351215189890").status()).isEqualTo(NirCheck.Status.WRONG_LENGTH);
        assertThat(Nir.check(null).status()).isEqualTo(NirCheck.Status.WRONG_LENGTH);
        assertThat(Nir.check("27903512151898X").status()).isEqualTo(NirCheck.Status.INVALID_CHARACTERS);
        assertThat(Nir.check("2790 5121518989").status()).isEqualTo(NirCheck.Status.INVALID_CHARACTERS);
        assertThat(Nir.check("２７９035121518989".substring(0, 15)).status()).isEqualTo(NirCheck.Status.INVALID_CHARACTERS);
    }

    @Test
    void provisionalNumbersStartWithSevenOrEight() {
        // 7850799123456 → key 97 - (7850799123456 mod 97) = 30
        NirCheck check = Nir.check("785079912345630");
        assertThat(check.valid()).isTrue();
        assertThat(check.provisional()).isTrue();
    }
}
