package dev.parley.ui;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;

/**
 * QR codes of invite and answer codes, for a phone's camera or another screen: byte mode with the lowest error
 * correction (a screen is a clean medium), which fits about 2,900 characters in the largest QR version; a code of
 * ~2,300 characters takes it. Black modules on white with the standard quiet zone of four modules.
 */
final class QrCodes {
    private QrCodes() {}

    /** The modules of a QR code of {@code text}, quiet zone included; null when it is too long for any QR code. */
    static BitMatrix matrix(String text) {
        try {
            return new QRCodeWriter()
                    .encode(
                            text,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(
                                    EncodeHintType.ERROR_CORRECTION,
                                    ErrorCorrectionLevel.L,
                                    EncodeHintType.CHARACTER_SET,
                                    StandardCharsets.ISO_8859_1.name(),
                                    EncodeHintType.MARGIN,
                                    4));
        } catch (WriterException e) {
            return null; // longer than version 40 holds
        }
    }

    /** The QR code as an image, {@code scale} pixels per module; null when the text is too long. */
    static WritableImage image(String text, int scale) {
        BitMatrix m = matrix(text);
        if (m == null) {
            return null;
        }
        WritableImage image = new WritableImage(m.getWidth() * scale, m.getHeight() * scale);
        PixelWriter out = image.getPixelWriter();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.setArgb(x, y, m.get(x / scale, y / scale) ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        return image;
    }
}
