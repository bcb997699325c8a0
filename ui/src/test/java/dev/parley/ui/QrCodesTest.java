package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.zxing.common.BitMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An invite code's QR code reads back as the code, at the size real codes have; a longer text gets none. */
class QrCodesTest {
    private static String code(int length, long seed) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Random random = new Random(seed);
        StringBuilder s = new StringBuilder("parley-1.");
        while (s.length() < length) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** What a camera would see: the modules drawn {@code scale} pixels each, read by ZXing's own decoder. */
    private static String read(BitMatrix m, int scale) throws Exception {
        int w = m.getWidth() * scale;
        int h = m.getHeight() * scale;
        int[] pixels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixels[y * w + x] = m.get(x / scale, y / scale) ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        return QrReading.read(w, h, pixels);
    }

    @Test
    void codesOfTheSizesParleyMakesReadBack() throws Exception {
        for (int length : new int[] {300, 2300, 2900}) {
            String code = code(length, length);
            BitMatrix m = QrCodes.matrix(code);
            assertNotNull(m, length + " characters");
            assertEquals(code, read(m, 2), length + " characters");
        }
    }

    @Test
    void aTextTooLongForAnyQrCodeGetsNone() {
        assertNull(QrCodes.matrix(code(3000, 1)));
    }
}
