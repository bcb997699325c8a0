package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces the installers are made of: call links, and the icon set rendered from the one source image. */
class PackagingPartsTest {
    @TempDir
    Path dir;

    @Test
    void callLinksNameAValidUser() {
        assertEquals("bob", CallLink.user("parley:call/bob"));
        assertEquals("bob.smith", CallLink.user("parley://call/bob.smith/"));
        assertNull(CallLink.user("parley:call/"), "no name");
        assertNull(CallLink.user("parley:call/bob%20smith"), "not a user name");
        assertNull(CallLink.user("parley:call/%zz"), "a broken escape");
        assertNull(CallLink.user("parley:call/%"), "a cut escape");
        assertNull(CallLink.user("parley:hangup/bob"));
        assertNull(CallLink.user("https://example.org/call/bob"));
    }

    @Test
    void theIconIsRenderedToEverySizeAndIntoIcoAndIcns() throws Exception {
        Path source = Path.of("..", "assets", "icon", "parley.png");
        var pngs = IconSet.render(source, dir);
        for (int size : IconSet.SIZES) {
            var image = ImageIO.read(pngs.get(size).toFile());
            assertEquals(size, image.getWidth());
            assertEquals(size, image.getHeight());
        }
        ByteBuffer ico =
                ByteBuffer.wrap(Files.readAllBytes(dir.resolve("parley.ico"))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, ico.getShort());
        assertEquals(1, ico.getShort(), "an icon resource");
        assertEquals(7, ico.getShort(), "16 to 256 px");
        byte[] icns = Files.readAllBytes(dir.resolve("parley.icns"));
        assertEquals("icns", new String(icns, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(icns.length, ByteBuffer.wrap(icns, 4, 4).getInt(), "the length covers the file");
    }
}
