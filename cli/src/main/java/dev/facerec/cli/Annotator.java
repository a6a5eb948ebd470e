package dev.facerec.cli;

import dev.facerec.recognition.Box;
import dev.facerec.recognition.Recognizer.RecognizedFace;
import dev.facerec.recognition.Recognizer.Recognition;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws each face's box and its name (or "?") with the distance, so that a person can check the answer; the face that
 * gave the outcome has the thicker box.
 */
final class Annotator {
    private Annotator() {
    }

    static void write(byte[] encoded, Recognition recognition, Path out) throws IOException {
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(encoded));
        // Drawn on an RGB copy: a PNG may have alpha, which a JPEG cannot hold.
        BufferedImage image = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.drawImage(picture, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int stroke = Math.max(2, image.getWidth() / 400);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(14, image.getWidth() / 60)));
        for (int i = 0; i < recognition.faces().size(); i++) {
            RecognizedFace face = recognition.faces().get(i);
            boolean primary = i == recognition.primary();
            Box box = face.face().detection().box();
            Color color = face.match().matched() ? new Color(40, 200, 60) : new Color(230, 60, 40);
            g.setColor(color);
            g.setStroke(new BasicStroke(primary ? stroke * 2f : stroke));
            g.drawRect((int) box.x(), (int) box.y(), (int) box.width(), (int) box.height());
            String label = (face.match().matched() ? face.match().name() : "?")
                    + (Double.isNaN(face.match().distance()) ? ""
                    : String.format(Locale.ROOT, " %.2f", face.match().distance()));
            int textY = (int) Math.max(g.getFontMetrics().getAscent(), box.y() - stroke * 2);
            g.setColor(Color.BLACK);
            g.drawString(label, (int) box.x() + 1, textY + 1);
            g.setColor(color);
            g.drawString(label, (int) box.x(), textY);
        }
        g.dispose();
        ImageIO.write(image, "jpeg", out.toFile());
    }
}
