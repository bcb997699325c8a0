package dev.parley.signaling.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.Utf8StringBuilder;

/**
 * Assembles one connection's WebSocket text messages from their frames within the hard size limit (binary
 * messages are only counted against it, then discarded). Text is decoded as strict UTF-8, as RFC 6455 section 8.1
 * asks.
 *
 * <p>Not thread-safe: only the thread reading the connection's current frame uses it. WebSocket never interleaves
 * the frames of two messages (RFC 6455 section 5.4), so one byte count serves text and binary alike.
 */
final class TextAssembler {
    private final long limitBytes;
    /** A text message arriving in several frames; null between messages. */
    private Utf8StringBuilder fragments;

    private long messageBytes;
    private boolean skippingBinary;

    /** @param limitBytes the largest message, in bytes, before the connection must close (1009) */
    TextAssembler(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** True between the first and the last frame of a binary message: a continuation frame belongs to it. */
    boolean inBinary() {
        return skippingBinary;
    }

    /**
     * Counts a frame of a binary message and discards it. Returns false once the unfinished message has grown past
     * the limit: the connection must close.
     *
     * @param first true for the message's first frame (opcode binary), false for a continuation
     */
    boolean skipBinary(ByteBuffer payload, boolean first, boolean fin) {
        messageBytes = first ? length(payload) : messageBytes + length(payload);
        skippingBinary = !fin;
        if (fin) {
            messageBytes = 0;
            return true;
        }
        return messageBytes <= limitBytes;
    }

    /**
     * Takes a text frame or a continuation of one. Returns the message's text once its last frame is in, else null.
     *
     * @throws TooLarge                 when the message so far exceeds the limit (the partial message is dropped)
     * @throws CharacterCodingException when the message is not valid UTF-8
     */
    String text(ByteBuffer payload, boolean fin) throws CharacterCodingException, TooLarge {
        long size = messageBytes + length(payload);
        if (size > limitBytes) {
            fragments = null;
            messageBytes = 0;
            throw new TooLarge();
        }
        if (fin && fragments == null) {
            return utf8(payload);
        }
        if (fragments == null) {
            fragments = new Utf8StringBuilder(CodingErrorAction.REPORT, CodingErrorAction.REPORT);
        }
        try {
            fragments.append(payload);
            messageBytes = size;
            if (!fin) {
                return null;
            }
            String text = fragments.build();
            fragments = null;
            messageBytes = 0;
            return text;
        } catch (IllegalArgumentException badUtf8) { // Jetty's Utf8IllegalArgumentException: a client's bytes
            fragments = null;
            messageBytes = 0;
            throw new CharacterCodingException();
        }
    }

    private static int length(ByteBuffer payload) {
        return payload == null ? 0 : payload.remaining();
    }

    /** Strict UTF-8; JSON is nearly always ASCII, which takes one copy and no decoder. */
    private static String utf8(ByteBuffer payload) throws CharacterCodingException {
        if (payload == null || !payload.hasRemaining()) {
            return "";
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.slice().get(bytes);
        for (byte b : bytes) {
            if (b < 0) {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1); // ASCII: the same characters
    }

    /** The message is larger than the hard limit. Thrown often by a misbehaving client, so it has no stack trace. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }
}
