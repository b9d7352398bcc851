package fr.mssante.operator.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class DailyDirectoryImportTest {
    @Test
    void nextRunIsTodayWhenStillAheadElseTomorrow() {
        ZonedDateTime morning = ZonedDateTime.of(2026, 11, 23, 1, 0, 0, 0, DailyDirectoryImport.PARIS);
        assertThat(DailyDirectoryImport.delayUntil(LocalTime.of(3, 30), morning)).isEqualTo(Duration.ofMinutes(150));
        ZonedDateTime evening = morning.withHour(22);
        assertThat(DailyDirectoryImport.delayUntil(LocalTime.of(3, 30), evening)).isEqualTo(Duration.ofMinutes(330));
        assertThat(DailyDirectoryImport.delayUntil(LocalTime.of(1, 0), morning)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aDaylightSavingNightStillGivesOneRunADay() {
        // 28 March 2027: Paris clocks jump from 02:00 to 03:00, so 01:00 -> 03:30 is 90 real minutes
        ZonedDateTime before = ZonedDateTime.of(2027, 3, 28, 1, 0, 0, 0, DailyDirectoryImport.PARIS);
        assertThat(DailyDirectoryImport.delayUntil(LocalTime.of(3, 30), before)).isEqualTo(Duration.ofMinutes(90));
    }
}
