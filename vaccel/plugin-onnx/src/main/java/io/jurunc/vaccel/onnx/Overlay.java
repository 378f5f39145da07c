package io.jurunc.vaccel.onnx;

import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.VaccelException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Draws detection boxes (yellow, 3 px) and labels on a copy of the image and writes it as PNG. */
final class Overlay {
    private Overlay() {}

    static void write(BufferedImage src, List<OnnxPlugin.Detection> detections, Path out) {
        BufferedImage img = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
            g.setColor(Color.YELLOW);
            g.setStroke(new BasicStroke(3));
            for (OnnxPlugin.Detection d : detections) {
                int x1 = Math.round(d.x1() * (src.getWidth() - 1));
                int y1 = Math.round(d.y1() * (src.getHeight() - 1));
                int x2 = Math.round(d.x2() * (src.getWidth() - 1));
                int y2 = Math.round(d.y2() * (src.getHeight() - 1));
                g.drawRect(x1, y1, x2 - x1, y2 - y1);
                g.drawString(d.label(), x1 + 4, y1 + 14);
            }
        } finally {
            g.dispose();
        }
        try {
            Files.createDirectories(out.getParent());
            ImageIO.write(img, "png", out.toFile());
        } catch (IOException e) {
            throw new VaccelException(Errno.EIO, "cannot write detection overlay " + out + ": " + e.getMessage(), e);
        }
    }
}
