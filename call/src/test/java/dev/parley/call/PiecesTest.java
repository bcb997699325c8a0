package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The receiver's buffers for pieces of a file: used again, never more kept than asked, only their own kind. */
class PiecesTest {
    @Test
    void aWrittenPieceIsUsedAgainEmpty() {
        Pieces pieces = new Pieces(1024, 2);
        ByteBuffer first = pieces.take();
        assertEquals(1024, first.capacity());
        assertTrue(first.isDirect());
        first.put(new byte[700]).flip();
        pieces.give(first);
        ByteBuffer again = pieces.take();
        assertSame(first, again);
        assertEquals(0, again.position());
        assertEquals(1024, again.remaining(), "cleared: room for a whole piece");
        assertNotSame(again, pieces.take(), "none left: a new one");
    }

    @Test
    void itKeepsNoMoreThanAskedAndOnlyItsOwnSize() {
        Pieces pieces = new Pieces(1024, 2);
        for (int i = 0; i < 5; i++) {
            pieces.give(ByteBuffer.allocateDirect(1024));
        }
        assertEquals(2, pieces.kept());
        pieces.close();
        assertEquals(0, pieces.kept(), "the transfer is over: nothing held");
        pieces.give(ByteBuffer.allocateDirect(1024));
        assertEquals(0, pieces.kept(), "nor a buffer given back after its end");
        Pieces other = new Pieces(1024, 2);
        other.give(ByteBuffer.allocate(1024)); // a smaller message's copy, on the heap
        other.give(ByteBuffer.allocateDirect(512));
        assertEquals(0, other.kept());
    }

    @Test
    void onlyAWholePieceGoesInOne() {
        Pieces pieces = new Pieces(1024, 2);
        assertTrue(pieces.fits(1024));
        assertFalse(pieces.fits(1023), "the last, shorter piece: a buffer of its own size");
        assertFalse(pieces.fits(1025));
        assertFalse(pieces.fits(64));
    }
}
