package io.jurunc.bench.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link Stats}. */
class StatsTest {
    @Test
    void median_oddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(9.0, 1.0, 5.0)).getAsDouble()).isEqualTo(5.0);
    }

    @Test
    void median_evenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4, 1, 3, 100)).getAsDouble()).isEqualTo(3.5);
    }

    @Test
    void median_noValuesIsEmpty() {
        assertThat(Stats.median(List.<Double>of())).isEmpty();
    }
}
