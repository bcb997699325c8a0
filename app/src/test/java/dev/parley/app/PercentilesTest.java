package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankPicksTheSampleOfRankCeilingPTimesN() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray(); // 1..100: the p-th percentile is p
        assertEquals(50, Percentiles.nearestRank(hundred, 50));
        assertEquals(95, Percentiles.nearestRank(hundred, 95));
        assertEquals(99, Percentiles.nearestRank(hundred, 99));
        assertEquals(100, Percentiles.nearestRank(hundred, 100));
        assertEquals(1, Percentiles.nearestRank(hundred, 0.5));
    }

    @Test
    void withFewSamplesTheHighPercentilesAreTheMaximum() {
        long[] twenty = LongStream.rangeClosed(1, 20).toArray();
        assertEquals(10, Percentiles.nearestRank(twenty, 50));
        assertEquals(19, Percentiles.nearestRank(twenty, 95)); // ceil(0.95 * 20) = 19, not 20 from rounding noise
        assertEquals(20, Percentiles.nearestRank(twenty, 99));
        long[] two = {3, 7};
        assertEquals(3, Percentiles.nearestRank(two, 50));
        assertEquals(7, Percentiles.nearestRank(two, 95));
    }

    @Test
    void percentilesAreOverAllSamplesPooledNotAMedianOfPerGroupFigures() {
        // Two "calls": one smooth, one with a slow tail. Pooled, the tail shows in p95; the median of the two calls'
        // own p95s (the old method) would have hidden half of it.
        List<Long> pooled = new ArrayList<>();
        LongStream.range(0, 90).forEach(i -> pooled.add(10L));
        LongStream.range(0, 10).forEach(i -> pooled.add(500L));
        Percentiles p = Percentiles.of(pooled);
        assertEquals(100, p.count());
        assertEquals(10, p.p50());
        assertEquals(500, p.p95());
        assertEquals(500, p.p99());
        assertEquals(500, p.max());
    }

    @Test
    void unsortedInputIsLeftAsItWas() {
        long[] samples = {5, 1, 4, 2, 3};
        Percentiles p = Percentiles.of(samples);
        assertEquals(3, p.p50());
        assertEquals(5, p.max());
        assertEquals(5, samples[0]);
    }

    @Test
    void noSamplesPrintAsADashAndRanksNeedSamples() {
        assertSame(Percentiles.NONE, Percentiles.of());
        assertEquals("-", Percentiles.NONE.format(1, 1));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.nearestRank(new long[0], 50));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.nearestRank(new long[] {1}, 0));
    }

    @Test
    void formatsInAUnit() {
        Percentiles p = Percentiles.of(1_500_000, 2_000_000, 30_000_000);
        assertEquals("2.0 / 30.0 / 30.0", p.format(1e6, 1));
        assertEquals("30.00", p.formatMax(1e6, 2));
    }
}
