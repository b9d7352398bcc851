package fr.mssante.operator.documents.ins;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class InsValidatorTest {
    private static final InsValidator TEST = new InsValidator(Environment.TEST);

    private static InsCandidate candidate(String matricule, String oid, String family, String first, String birth, String sex) {
        return new InsCandidate(Optional.ofNullable(matricule), Optional.ofNullable(oid), Optional.ofNullable(family),
            Optional.of("DOMINIQUE MARIE-LOUISE"), Optional.ofNullable(first), Optional.ofNullable(birth), Optional.ofNullable(sex),
            Optional.of("51215"));
    }

    @Test
    void qualifiedWithEveryTrait() {
        InsVerdict verdict = TEST.validate(candidate("279035121518989", "1.2.250.1.213.1.4.10", "PAT-TROIS", "DOMINIQUE", "19790328", "F"));
        assertThat(verdict.status()).isEqualTo(InsStatus.QUALIFIED);
        QualifiedIns ins = verdict.qualified().orElseThrow();
        assertThat(ins.matricule()).isEqualTo("279035121518989");
        assertThat(ins.oid()).isEqualTo(InsOid.TEST_NIR);
        assertThat(ins.birthFamilyName()).isEqualTo("PAT-TROIS");
        assertThat(ins.firstBirthGivenName()).isEqualTo("DOMINIQUE");
        assertThat(ins.birthGivenNames()).isEqualTo("DOMINIQUE MARIE-LOUISE");
        assertThat(ins.birthDate()).isEqualTo(LocalDate.of(1979, 3, 28));
        assertThat(ins.sex()).isEqualTo(Sex.FEMALE);
        assertThat(ins.birthplaceCode()).contains("51215");
        assertThat(ins.cx()).isEqualTo("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH");
        assertThat(ins.toString()).doesNotContain("279035121518989").doesNotContain("PAT-TROIS");
    }

    @Test
    void missingTraitsAreListed() {
        InsVerdict verdict = TEST.validate(candidate("279035121518989", "1.2.250.1.213.1.4.10", null, "DOMINIQUE", "197903", "X"));
        assertThat(verdict.status()).isEqualTo(InsStatus.INCOMPLETE);
        assertThat(verdict.missingTraits()).containsExactly("birthFamilyName", "birthDate", "sex");
        assertThat(verdict.qualified()).isEmpty();
        assertThat(verdict.oid()).contains(InsOid.TEST_NIR);
    }

    @Test
    void impossibleBirthDateIsInvalid() {
        assertThat(TEST.validate(candidate("279035121518989", "1.2.250.1.213.1.4.10", "A", "B", "19790230", "F")).missingTraits())
            .containsExactly("birthDate");
    }

    @Test
    void wrongKeyIsAnInvalidMatricule() {
        InsVerdict verdict = TEST.validate(candidate("279035121518988", "1.2.250.1.213.1.4.10", "PAT-TROIS", "DOMINIQUE", "19790328", "F"));
        assertThat(verdict.status()).isEqualTo(InsStatus.INVALID_MATRICULE);
        assertThat(verdict.detail()).contains("key").doesNotContain("279035121518988");
    }

    @Test
    void corsicanMatricules() {
        assertThat(TEST.validate(candidate("253072B07300470", "1.2.250.1.213.1.4.10", "CORSE", "FIGATELLIX", "19530701", "F")).status())
            .isEqualTo(InsStatus.QUALIFIED);
        assertThat(TEST.validate(candidate("253072B07300471", "1.2.250.1.213.1.4.10", "CORSE", "FIGATELLIX", "19530701", "F")).status())
            .isEqualTo(InsStatus.INVALID_MATRICULE);
    }

    @Test
    void environmentDecidesWhichOidsCount() {
        InsCandidate test = candidate("279035121518989", "1.2.250.1.213.1.4.10", "PAT-TROIS", "DOMINIQUE", "19790328", "F");
        InsCandidate production = candidate("279035121518989", "1.2.250.1.213.1.4.8", "PAT-TROIS", "DOMINIQUE", "19790328", "F");
        InsCandidate nia = candidate("279035121518989", "urn:oid:1.2.250.1.213.1.4.9", "PAT-TROIS", "DOMINIQUE", "19790328", "F");
        InsCandidate demo = candidate("279035121518989", "1.2.250.1.213.1.4.11", "PAT-TROIS", "DOMINIQUE", "19790328", "F");
        InsValidator productionValidator = new InsValidator(Environment.PRODUCTION);
        assertThat(productionValidator.validate(test).status()).isEqualTo(InsStatus.WRONG_ENVIRONMENT);
        assertThat(productionValidator.validate(production).status()).isEqualTo(InsStatus.QUALIFIED);
        assertThat(productionValidator.validate(nia).qualified().orElseThrow().oid()).isEqualTo(InsOid.NIA);
        assertThat(TEST.validate(production).status()).isEqualTo(InsStatus.WRONG_ENVIRONMENT);
        assertThat(TEST.validate(demo).status()).isEqualTo(InsStatus.WRONG_ENVIRONMENT);
        assertThat(new InsValidator(Environment.DEMO).validate(demo).status()).isEqualTo(InsStatus.QUALIFIED);
    }

    @Test
    void noInsOrForeignOidIsMissing() {
        assertThat(TEST.validate(InsCandidate.none()).status()).isEqualTo(InsStatus.MISSING);
        assertThat(TEST.validate(candidate("1234567890121", "1.2.3.4.567.8.9.10", "A", "B", "19790328", "F")).status())
            .isEqualTo(InsStatus.MISSING);
    }

    @Test
    void sexCodes() {
        assertThat(Sex.ofCode("m")).contains(Sex.MALE);
        assertThat(Sex.ofCode("UN")).contains(Sex.UNDETERMINED);
        assertThat(Sex.ofCode("I")).contains(Sex.UNDETERMINED);
        assertThat(Sex.ofCode("X")).isEmpty();
    }
}
