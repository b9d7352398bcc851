package fr.mssante.operator.directory.text;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NormaliserTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "Hélène;helene",
        "HELENE;helene",
        "  Jean-François  D'ARC ;jean francois d arc",
        "Œdipe Lætitia;oedipe laetitia",
        "SAINT-ÉTIENNE CEDEX 2;saint etienne cedex 2",
        "Noël Gaëlle Zoé;noel gaelle zoe",
        "a%b_c;a b c"})
    void foldsCaseAccentsAndPunctuation(String input, String expected) {
        assertThat(Normaliser.fold(input)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void blankIsNull() {
        assertThat(Normaliser.foldOrNull(" - ")).isNull();
        assertThat(Normaliser.foldOrNull(null)).isNull();
    }
}
