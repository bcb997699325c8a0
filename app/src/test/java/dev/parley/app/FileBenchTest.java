package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code bench file} prints over several runs, and the sizes it takes. */
class FileBenchTest {
    @Test
    void severalRunsShowTheirMedianRangeAndEachInTurn() {
        assertEquals(
                "3 runs, 0 invalid: median 36.5 MB/s, lowest 33.2, highest 41.7; each in turn: 41.7, 33.2, 36.5",
                FileBench.summary(List.of(41.7, 33.2, 36.5), 0));
        assertEquals(
                "5 runs, 1 invalid: median 35.0 MB/s, lowest 30.0, highest 41.0; each in turn: 41.0, 30.0, 36.0, 34.0",
                FileBench.summary(List.of(41.0, 30.0, 36.0, 34.0), 1),
                "an even count: the mean of the middle two; the invalid run counted, not averaged in");
        assertEquals("2 runs, 2 invalid", FileBench.summary(List.of(), 2));
    }

    @Test
    void sizesAreBytesOrBinaryMultiples() {
        assertEquals(1L << 30, FileBench.parseSize("1g"));
        assertEquals(512L << 20, FileBench.parseSize("512M"));
        assertEquals(1000, FileBench.parseSize("1000"));
        assertThrows(IllegalArgumentException.class, () -> FileBench.parseSize("1.5g"));
        assertThrows(IllegalArgumentException.class, () -> FileBench.parseSize("0"));
    }
}
