package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TextAssemblerTest {
    private final TextAssembler assembler = new TextAssembler(10);

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSingleFrameIsTheMessage() throws Exception {
        assertEquals("{\"a\":1}", assembler.text(utf8("{\"a\":1}"), true));
        assertEquals("é€", assembler.text(utf8("é€"), true));
        assertEquals("", assembler.text(null, true));
        assertEquals("", assembler.text(ByteBuffer.allocate(0), true));
    }

    @Test
    void fragmentsAreJoinedInOrderAndTheNextMessageStartsAfresh() throws Exception {
        assertNull(assembler.text(utf8("ab"), false));
        assertNull(assembler.text(utf8("cd"), false));
        assertEquals("abcde", assembler.text(utf8("e"), true));
        assertEquals("fresh", assembler.text(utf8("fresh"), true));
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsDecodedWhole() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // three bytes
        assertNull(assembler.text(ByteBuffer.wrap(euro, 0, 1), false));
        assertNull(assembler.text(ByteBuffer.wrap(euro, 1, 1), false));
        assertEquals("€", assembler.text(ByteBuffer.wrap(euro, 2, 1), true));
    }

    @Test
    void invalidUtf8InOneFrameIsRefused() {
        assertThrows(
                CharacterCodingException.class,
                () -> assembler.text(ByteBuffer.wrap(new byte[] {'a', (byte) 0xC3}), true));
        assertThrows(
                CharacterCodingException.class, () -> assembler.text(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), true));
    }

    @Test
    void invalidUtf8AcrossFragmentsIsRefusedTooAndForgotten() throws Exception {
        assertNull(assembler.text(ByteBuffer.wrap(new byte[] {'a', (byte) 0xE2}), false)); // a character begun
        assertThrows(CharacterCodingException.class, () -> assembler.text(ByteBuffer.wrap(new byte[] {'b'}), true));
        assertEquals("ok", assembler.text(utf8("ok"), true), "the broken message is gone");
    }

    @Test
    void aMessageUpToTheLimitPassesAndOneByteMoreIsTooLarge() throws Exception {
        assertEquals("x".repeat(10), assembler.text(utf8("x".repeat(10)), true));
        assertThrows(TextAssembler.TooLarge.class, () -> assembler.text(utf8("x".repeat(11)), true));
    }

    @Test
    void fragmentsOverTheLimitAreTooLargeAndForgotten() throws Exception {
        assertNull(assembler.text(utf8("x".repeat(6)), false));
        assertThrows(TextAssembler.TooLarge.class, () -> assembler.text(utf8("x".repeat(5)), false));
        // the partial message is gone: a new one starts from zero
        assertEquals("y".repeat(10), assembler.text(utf8("y".repeat(10)), true));
    }

    @Test
    void binaryIsCountedAgainstTheLimitAndDiscarded() {
        byte[] six = new byte[6];
        Arrays.fill(six, (byte) 1);
        assertTrue(assembler.skipBinary(ByteBuffer.wrap(six), true, false));
        assertTrue(assembler.inBinary());
        assertFalse(assembler.skipBinary(ByteBuffer.wrap(six), false, false), "12 bytes and not finished");
    }

    @Test
    void aFinishedBinaryMessageLeavesNothingBehind() throws Exception {
        assertTrue(assembler.skipBinary(ByteBuffer.wrap(new byte[8]), true, false));
        assertTrue(assembler.skipBinary(ByteBuffer.wrap(new byte[1]), false, true));
        assertFalse(assembler.inBinary());
        assertEquals("x".repeat(10), assembler.text(utf8("x".repeat(10)), true), "the binary bytes no longer count");
        // A final binary frame is not checked here: Jetty's frame size limit bounds a single frame.
        assertTrue(assembler.skipBinary(ByteBuffer.wrap(new byte[20]), true, true));
    }
}
