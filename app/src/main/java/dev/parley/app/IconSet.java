package dev.parley.app;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Renders the one source icon ({@code assets/icon/parley.png}, 1024 px) to every size the installers use: PNGs
 * for Linux, an {@code .ico} for Windows and an {@code .icns} for macOS. Both containers hold PNG images, which
 * every supported system reads. Halving steps keep the small sizes sharp.
 */
final class IconSet {
    static final List<Integer> SIZES = List.of(16, 24, 32, 48, 64, 128, 256, 512);

    private IconSet() {}

    /** Writes parley-N.png for each size, parley.ico and parley.icns into {@code out}; returns the PNGs by size. */
    static Map<Integer, Path> render(Path source, Path out) throws IOException {
        BufferedImage master = ImageIO.read(source.toFile());
        if (master == null || master.getWidth() < 512 || master.getWidth() != master.getHeight()) {
            throw new IOException(source + " must be a square PNG of at least 512 px");
        }
        Files.createDirectories(out);
        Map<Integer, Path> pngs = new LinkedHashMap<>();
        Map<Integer, byte[]> bytes = new LinkedHashMap<>();
        for (int size : SIZES) {
            byte[] png = png(scale(master, size));
            Path file = out.resolve("parley-" + size + ".png");
            Files.write(file, png);
            pngs.put(size, file);
            bytes.put(size, png);
        }
        Files.write(out.resolve("parley.ico"), ico(bytes));
        Files.write(out.resolve("parley.icns"), icns(bytes));
        return pngs;
    }

    static BufferedImage scale(BufferedImage source, int size) {
        BufferedImage current = source;
        while (current.getWidth() / 2 >= size) {
            current = draw(current, current.getWidth() / 2);
        }
        return current.getWidth() == size ? current : draw(current, size);
    }

    private static BufferedImage draw(BufferedImage from, int size) {
        BufferedImage to = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = to.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(from, 0, 0, size, size, null);
        g.dispose();
        return to;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** ICO: a 6-byte header, a 16-byte entry per image (little-endian), then the PNGs (sizes up to 256). */
    static byte[] ico(Map<Integer, byte[]> pngs) {
        List<Map.Entry<Integer, byte[]>> images =
                pngs.entrySet().stream().filter(e -> e.getKey() <= 256).toList();
        int offset = 6 + 16 * images.size();
        int total = offset + images.stream().mapToInt(e -> e.getValue().length).sum();
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).putShort((short) 1).putShort((short) images.size());
        for (Map.Entry<Integer, byte[]> e : images) {
            int size = e.getKey();
            b.put((byte) (size == 256 ? 0 : size))
                    .put((byte) (size == 256 ? 0 : size))
                    .put((byte) 0)
                    .put((byte) 0);
            b.putShort((short) 1)
                    .putShort((short) 32)
                    .putInt(e.getValue().length)
                    .putInt(offset);
            offset += e.getValue().length;
        }
        images.forEach(e -> b.put(e.getValue()));
        return b.array();
    }

    /** ICNS: "icns" + total length, then per image a type code, its length and the PNG (big-endian). */
    static byte[] icns(Map<Integer, byte[]> pngs) throws IOException {
        Map<Integer, String> types = Map.of(16, "icp4", 32, "icp5", 64, "icp6", 128, "ic07", 256, "ic08", 512, "ic09");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        for (Map.Entry<Integer, byte[]> e : pngs.entrySet()) {
            String type = types.get(e.getKey());
            if (type != null) {
                d.writeBytes(type);
                d.writeInt(8 + e.getValue().length);
                d.write(e.getValue());
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        DataOutputStream a = new DataOutputStream(all);
        a.writeBytes("icns");
        a.writeInt(8 + body.size());
        body.writeTo(a);
        return all.toByteArray();
    }
}
