package io.jurunc.vaccel.onnx;

import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.VaccelException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Image pre-processing for classification/detection models, as vAccel's examples do it: decode the
 * encoded image (PNG, JPEG, BMP, GIF through ImageIO), resize it bilinearly to the model's H×W, scale to
 * [0,1], normalise per channel with the ImageNet mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225),
 * and lay it out as NCHW float32 {@code [1,3,H,W]}.
 */
public final class ImagePreprocessor {
    static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] STD = {0.229f, 0.224f, 0.225f};

    private ImagePreprocessor() {}

    public static BufferedImage decode(byte[] encoded) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
            if (img == null) {
                throw new VaccelException.InvalidArgumentException(
                        "cannot decode the image: not a format ImageIO reads (PNG, JPEG, BMP, GIF)");
            }
            return img;
        } catch (IOException e) {
            throw new VaccelException(Errno.EINVAL, "cannot decode image: " + e.getMessage(), e);
        }
    }

    /** Bilinear resize to {@code width}×{@code height}, RGB. */
    public static BufferedImage resize(BufferedImage src, int width, int height) {
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    /** NCHW float32 data of the resized, normalised image. */
    public static float[] toNchw(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] out = new float[3 * plane];
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            out[i] = (((p >> 16) & 0xff) / 255f - MEAN[0]) / STD[0];
            out[plane + i] = (((p >> 8) & 0xff) / 255f - MEAN[1]) / STD[1];
            out[2 * plane + i] = ((p & 0xff) / 255f - MEAN[2]) / STD[2];
        }
        return out;
    }
}
