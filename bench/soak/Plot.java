import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The soak's plot without matplotlib (not installed on the benchmark machine): java bench/soak/Plot.java CSV PNG TITLE.
 * Four panels over time (minutes): RSS; queue (spool size) and backlog (accepted, not yet visible); accept->visible
 * latency p50 and p99 per sample window; established client connections and the visible rate. Further arguments
 * {@code LABEL@FROM-TO} (seconds since the start) shade the periods when other runs shared the machine.
 */
public class Plot {
    record Series(String column, String label, Color color) {
    }

    record Panel(String title, String unit, List<Series> series) {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        String[] header = lines.get(0).split(",");
        Map<String, List<Double>> columns = new HashMap<>();
        for (String name : header) {
            columns.put(name, new ArrayList<>());
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            for (int i = 0; i < header.length && i < cells.length; i++) {
                double value;
                try {
                    value = Double.parseDouble(cells[i]);
                } catch (NumberFormatException e) {
                    value = Double.NaN;
                }
                columns.get(header[i]).add(value);
            }
        }
        List<Panel> panels = List.of(
            new Panel("Server RSS", "MiB", List.of(new Series("rss_mib", "RSS", new Color(0x1f77b4)))),
            new Panel("Queue", "messages", List.of(new Series("queue", "spool queue size (WebAdmin)", new Color(0x2ca02c)),
                new Series("backlog", "accepted, not yet visible over IMAP", new Color(0xff7f0e)))),
            new Panel("Accept -> IMAP-visible latency (per window)", "ms", List.of(
                new Series("lat_p50_ms", "p50", new Color(0x1f77b4)), new Series("lat_p99_ms", "p99", new Color(0xd62728)))),
            new Panel("Connections and rate", "count, msg/s", List.of(
                new Series("connections", "established client connections", new Color(0x9467bd)),
                new Series("visible_per_s", "messages visible per s", new Color(0x8c564b)))));
        record Span(String label, double from, double to) {
        }
        List<Span> spans = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] parts = args[i].split("@", 2);
            String[] range = parts[1].split("-", 2);
            spans.add(new Span(parts[0], Double.parseDouble(range[0]) / 60.0, Double.parseDouble(range[1]) / 60.0));
        }
        int width = 1400, panelHeight = 300, top = 60;
        BufferedImage image = new BufferedImage(width, top + panels.size() * panelHeight + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString(args.length > 2 ? args[2] : "Soak", 20, 35);
        List<Double> time = columns.get("t_s");
        double tMax = time.stream().mapToDouble(Double::doubleValue).max().orElse(1) / 60.0;
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            int x0 = 90, y0 = top + p * panelHeight + 30, w = width - 120, h = panelHeight - 75;
            double max = 0;
            for (Series s : panel.series()) {
                for (double v : columns.get(s.column())) {
                    if (!Double.isNaN(v) && v > max) {
                        max = v;
                    }
                }
            }
            max = niceCeiling(max);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.setColor(Color.BLACK);
            g.drawString(panel.title() + " (" + panel.unit() + ")", x0, y0 - 8);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i <= 4; i++) {
                int y = y0 + h - i * h / 4;
                g.setColor(new Color(0xdddddd));
                g.drawLine(x0, y, x0 + w, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(format(max * i / 4), 10, y + 4);
            }
            int ticks = (int) Math.min(12, Math.max(1, Math.ceil(tMax / 5)));
            double step = Math.max(1, Math.ceil(tMax / ticks / 5) * 5);
            for (double m = 0; m <= tMax + 0.001; m += step) {
                int x = x0 + (int) (m / Math.max(tMax, 1e-9) * w);
                g.setColor(new Color(0xeeeeee));
                g.drawLine(x, y0, x, y0 + h);
                g.setColor(Color.DARK_GRAY);
                g.drawString(format(m) + " min", x - 12, y0 + h + 16);
            }
            for (int k = 0; k < spans.size(); k++) {
                Span span = spans.get(k);
                int from = x0 + (int) (Math.max(0, span.from()) / Math.max(tMax, 1e-9) * w);
                int to = x0 + (int) (Math.min(tMax, span.to()) / Math.max(tMax, 1e-9) * w);
                g.setColor(new Color(255, 200, 0, 45));
                g.fillRect(from, y0, Math.max(1, to - from), h);
                if (p == 0) {
                    g.setColor(new Color(0x996600));
                    g.drawString(span.label(), from + 3, y0 + 14 + 14 * k);
                }
            }
            g.setColor(Color.BLACK);
            g.drawRect(x0, y0, w, h);
            int legendX = x0 + 10;
            for (Series s : panel.series()) {
                List<Double> values = columns.get(s.column());
                g.setColor(s.color());
                g.setStroke(new BasicStroke(1.6f));
                int px = -1, py = -1;
                for (int i = 0; i < values.size(); i++) {
                    double v = values.get(i);
                    if (Double.isNaN(v) || v < 0) {
                        px = -1;
                        continue;
                    }
                    int x = x0 + (int) (time.get(i) / 60.0 / Math.max(tMax, 1e-9) * w);
                    int y = y0 + h - (int) (v / max * h);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                g.fillRect(legendX, y0 + h + 26, 14, 4);
                g.setColor(Color.BLACK);
                g.drawString(s.label(), legendX + 18, y0 + h + 32);
                legendX += 30 + g.getFontMetrics().stringWidth(s.label()) + 20;
            }
        }
        g.dispose();
        ImageIO.write(image, "png", new File(args[1]));
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double f : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (f * magnitude >= value) {
                return f * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%d", (long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
