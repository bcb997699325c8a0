package dev.parley.app;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * p50, p95 and p99 (and the maximum) of a set of samples, all of them, by the nearest-rank method: the p-th
 * percentile is the smallest sample with at least p % of the samples at or below it, i.e. the sample of rank
 * {@code ceil(p / 100 * n)} in ascending order. Always a measured value, never an interpolation; with few samples
 * the high percentiles are the maximum, which the printed sample count makes plain.
 *
 * @param count how many samples; 0 for none (then the other fields mean nothing)
 */
record Percentiles(int count, long p50, long p95, long p99, long max) {
    static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0);

    /** The percentiles of these samples (the array is not changed). */
    static Percentiles of(long... samples) {
        if (samples.length == 0) {
            return NONE;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Percentiles(
                sorted.length,
                nearestRank(sorted, 50),
                nearestRank(sorted, 95),
                nearestRank(sorted, 99),
                sorted[sorted.length - 1]);
    }

    static Percentiles of(Collection<Long> samples) {
        return of(samples.stream().mapToLong(Long::longValue).toArray());
    }

    /** The nearest-rank {@code percent}-th percentile of samples sorted in ascending order (at least one). */
    static long nearestRank(long[] sorted, double percent) {
        if (sorted.length == 0 || !(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("need samples and a percentile in (0, 100]");
        }
        // percent / 100 * n can land a hair above an integer in floating point (e.g. 0.95 * 20): round that off first.
        double exact = percent * sorted.length / 100.0;
        int rank = (int) Math.ceil(exact - 1e-9);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }

    /**
     * "p50 / p95 / p99" in a unit: each value divided by {@code divisor} and printed with {@code decimals}
     * places; "-" with no samples.
     */
    String format(double divisor, int decimals) {
        if (count == 0) {
            return "-";
        }
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " / " + f + " / " + f, p50 / divisor, p95 / divisor, p99 / divisor);
    }

    /** The maximum in a unit, as {@link #format} prints; "-" with no samples. */
    String formatMax(double divisor, int decimals) {
        return count == 0 ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", max / divisor);
    }
}
