package org.cspstack.core.csp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultSettingsTest {

    @ParameterizedTest
    @CsvSource({
        "2%,      0.02",
        "0.5%,    0.005",
        "0.1%,    0.001",
        "100%,    1.0",
        "0%,      0.0",
        "0.02,    0.02",
        "1,       1.0",
        "0,       0.0",
        "' 3 % ', 0.03",
        ".5%,     0.005",
    })
    void parsesPercentagesAndFractions(String text, double expected) {
        assertThat(FaultSettings.parseProbability("--loss", text), is(expected));
    }

    @ParameterizedTest
    @CsvSource({
        "5ms,    5000000",
        "1s,     1000000000",
        "250us,  250000",
        "250µs,  250000",
        "1.5ms,  1500000",
        "100ns,  100",
        "0,      0",
        "0ms,    0",
        "' 2 MS', 2000000",
    })
    void parsesDurationsWithUnits(String text, long nanos) {
        assertThat(FaultSettings.parseDuration("--delay", text), is(Duration.ofNanos(nanos)));
    }

    @Test
    void parsesAWholeCommandLine() {
        FaultSettings s = FaultSettings.parse("2%", "0.5%", "1%", "0.1%", "5ms", 42L);
        assertThat(s, is(new FaultSettings(0.02, 0.005, 0.01, 0.001, Duration.ofMillis(5),
                FaultSettings.DEFAULT_REORDER_DELAY, 42)));
    }

    @Test
    void missingOptionsMeanNoFaultAndTheDefaultSeed() {
        FaultSettings s = FaultSettings.parse(null, "", null, " ", null, null);
        assertThat(s, is(FaultSettings.none()));
        assertThat(s.isNone(), is(true));
        assertThat(s.seed(), is(FaultSettings.DEFAULT_SEED));
    }

    @Test
    void takesAReorderDelayWhenGiven() {
        FaultSettings s = FaultSettings.parse(null, null, "1%", null, null, "20ms", 7L);
        assertThat(s.reorderDelay(), is(Duration.ofMillis(20)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "120%  | --loss 120%: a probability must be between 0% and 100%",
        "-1%   | --loss -1%: a probability must be between 0% and 100%",
        "2     | --loss 2: a probability must be between 0% and 100% (a fraction is at most 1: did you mean 2%?)",
        "lots  | --loss lots: not a probability; write a percentage (2%, 0.5%) or a fraction (0.02)",
        "2%%   | --loss 2%%: not a probability",
        "NaN   | --loss NaN: not a probability",
    })
    void rejectsBadProbabilitiesNamingTheOptionAndTheValue(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultSettings.parse(text, null, null, null, null, null));
        assertThat(e.getMessage(), containsString(message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5     | --delay 5: a duration needs a unit: 250us, 5ms or 1s",
        "-5ms  | --delay -5ms: a duration must not be negative",
        "5min  | --delay 5min: not a duration; write a number and a unit: 250us, 5ms or 1s",
        "fast  | --delay fast: not a duration",
        "0.5ns | --delay 0.5ns: finer than a nanosecond",
        "7200s | --delay 7200s: a duration must be at most 3600s",
    })
    void rejectsBadDurationsNamingTheOptionAndTheValue(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultSettings.parse(null, null, null, null, text, null));
        assertThat(e.getMessage(), containsString(message));
    }

    @Test
    void namesEachOptionInItsMessage() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FaultSettings.parse(null, "101%", null, null, null, null)).getMessage(),
                containsString("--dup 101%"));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FaultSettings.parse(null, null, "x", null, null, null)).getMessage(),
                containsString("--reorder x"));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FaultSettings.parse(null, null, null, "1.5", null, null)).getMessage(),
                containsString("--corrupt 1.5"));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FaultSettings.parse(null, null, "1%", null, null, "3", null)).getMessage(),
                containsString("--reorder-delay 3"));
    }

    @Test
    void theRecordRejectsIllegalValues() {
        assertThrows(IllegalArgumentException.class,
                () -> new FaultSettings(1.5, 0, 0, 0, Duration.ZERO, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FaultSettings(Double.NaN, 0, 0, 0, Duration.ZERO, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FaultSettings(0, 0, 0, 0, Duration.ofMillis(-1), Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FaultSettings(0, 0, 0, 0, null, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FaultSettings(0, 0, 0, 0, Duration.ZERO, Duration.ofDays(1), 1));
    }

    @Test
    void printsTheFaultsInTheCommandLinesWords() {
        assertThat(FaultSettings.parse("2%", "0.5%", "1%", "0.1%", "5ms", 42L).toString(),
                is("loss 2% dup 0.5% reorder 1% corrupt 0.1% delay 5ms seed 42"));
        assertThat(FaultSettings.parse("0.02", null, null, null, "250us", 7L).toString(),
                is("loss 2% delay 250us seed 7"));
        assertThat(FaultSettings.parse(null, null, "1%", null, "1s", "20ms", 3L).toString(),
                is("reorder 1% reorder-delay 20ms delay 1s seed 3"));
        assertThat(FaultSettings.none().toString(), is("none"));
    }

    @Test
    void isNoneOnlyWhenNothingChanges() {
        assertThat(FaultSettings.none().withSeed(99).isNone(), is(true));
        assertThat(FaultSettings.parse(null, null, null, null, "1ms", null).isNone(), is(false));
        assertThat(FaultSettings.parse(null, null, null, "0.1%", null, null).isNone(), is(false));
    }

    @Test
    void formatsDurationsInTheLargestWholeUnit() {
        assertThat(FaultSettings.formatDuration(Duration.ofMillis(1500)), is("1500ms"));
        assertThat(FaultSettings.formatDuration(Duration.ofSeconds(2)), is("2s"));
        assertThat(FaultSettings.formatDuration(Duration.ofNanos(1500)), is("1500ns"));
        assertThat(FaultSettings.formatDuration(Duration.ZERO), is("0ms"));
    }
}
