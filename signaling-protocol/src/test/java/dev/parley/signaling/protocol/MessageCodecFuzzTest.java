package dev.parley.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The codec's contract under any input (coverage-guided, Jazzer): decoding never throws; what decodes re-encodes
 * to a text that decodes to the same message; what does not decode gives a failure whose error message can be
 * built and sent. Plain {@code mvn test} replays the committed inputs in
 * {@code src/test/resources/dev/parley/signaling/protocol/MessageCodecFuzzTestInputs/decode/}; {@code -Pfuzz}
 * fuzzes for the time below.
 */
class MessageCodecFuzzTest {
    private static final MessageCodec CODEC = new MessageCodec();

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8); // what the server hands the codec
        DecodeResult result = CODEC.decode(text);
        assertNotNull(result);
        if (result instanceof DecodeResult.Decoded decoded) {
            String again = CODEC.encode(decoded.message());
            DecodeResult back = CODEC.decode(again);
            assertEquals(
                    decoded.message(),
                    assertInstanceOf(DecodeResult.Decoded.class, back, again).message(),
                    () -> "no round trip: " + text + " -> " + again);
        } else {
            DecodeResult.Failure failure = (DecodeResult.Failure) result;
            assertNotNull(failure.code());
            String error = CODEC.encode(failure.toErrorMessage());
            assertInstanceOf(DecodeResult.Decoded.class, CODEC.decode(error), error);
        }
    }
}
