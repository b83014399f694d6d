package dev.machineoidc.bench.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Median tokens/s against concurrency as a PNG, one line per side, with the RS256 signing ceilings as dashed
 * lines: at a glance, how close each mint path gets to what signing alone allows.
 */
public final class ThroughputChart {

    static final int WIDTH = 900;
    static final int HEIGHT = 560;

    // The plot area inside the image; the margins hold the title, legend, tick labels and axis titles.
    static final int PLOT_LEFT = 90;
    static final int PLOT_RIGHT = WIDTH - 30;
    static final int PLOT_TOP = 80;
    static final int PLOT_BOTTOM = HEIGHT - 70;

    private static final Color[] SIDE_COLOURS = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b)};
    private static final Color CEILING_COLOUR = new Color(0x555555);
    private static final Color GRID_COLOUR = new Color(0xe0e0e0);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final int MAX_Y_STEPS = 6;

    static {
        // Benchmarks run on servers without a display; without this the first AWT call can look for one.
        System.setProperty("java.awt.headless", "true");
    }

    private ThroughputChart() {
    }

    public static void write(Summary summary, List<Ceiling> ceilings, String title, Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g, summary, ceilings, title);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("No PNG writer available to write " + png);
        }
    }

    private static void draw(Graphics2D g, Summary summary, List<Ceiling> ceilings, String title) {
        List<Integer> concurrencies = List.copyOf(summary.rows().stream().map(Summary.Row::concurrency)
                .collect(TreeSet::new, TreeSet::add, TreeSet::addAll));
        double highest = Math.max(
                summary.rows().stream().mapToDouble(Summary.Row::tokensPerSecond).max().orElse(0),
                ceilings.stream().mapToDouble(Ceiling::signaturesPerSecond).max().orElse(0));
        YAxis yAxis = YAxis.covering(highest);
        double yMax = yAxis.max();

        drawTitle(g, title);
        g.setFont(TEXT);
        drawYAxis(g, yAxis);
        drawXAxis(g, concurrencies);
        drawCeilings(g, ceilings, yMax);
        drawSides(g, summary, concurrencies, yMax);
        drawLegend(g, summary.sides());
    }

    /**
     * The y axis: from 0 to the highest value plus a little headroom, rounded up to a whole number of 1, 2 or 5
     * steps, at most six of them, so that the tick labels are round numbers and no line runs along the top border.
     */
    record YAxis(double max, double step) {

        static YAxis covering(double highest) {
            if (!(highest > 0) || Double.isInfinite(highest)) {
                return new YAxis(1, 0.2);
            }
            double top = highest * 1.05;
            double magnitude = Math.pow(10, Math.floor(Math.log10(top / MAX_Y_STEPS)));
            for (double multiple : new double[] {1, 2, 5, 10}) {
                double step = multiple * magnitude;
                if (step * MAX_Y_STEPS >= top) {
                    return new YAxis(Math.ceil(top / step) * step, step);
                }
            }
            throw new AssertionError("ten times the magnitude always covers " + top);
        }
    }

    private static void drawTitle(Graphics2D g, String title) {
        g.setFont(TITLE);
        g.setColor(Color.BLACK);
        g.drawString(title, (WIDTH - g.getFontMetrics().stringWidth(title)) / 2, 28);
    }

    private static void drawYAxis(Graphics2D g, YAxis yAxis) {
        FontMetrics metrics = g.getFontMetrics();
        long steps = Math.round(yAxis.max() / yAxis.step());
        for (long tick = 0; tick <= steps; tick++) {
            double value = yAxis.step() * tick;
            int y = y(value, yAxis.max());
            g.setColor(GRID_COLOUR);
            g.drawLine(PLOT_LEFT, y, PLOT_RIGHT, y);
            g.setColor(Color.BLACK);
            String label = tickLabel(value);
            g.drawString(label, PLOT_LEFT - 8 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
        }
        g.drawLine(PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM);

        String axisTitle = "median tokens/s";
        AffineTransform unrotated = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(axisTitle, -(PLOT_TOP + PLOT_BOTTOM + metrics.stringWidth(axisTitle)) / 2, 20);
        g.setTransform(unrotated);
    }

    // Fractional steps only occur on an axis below 6 tokens/s, i.e. a failed or empty run.
    private static String tickLabel(double value) {
        return String.format(Locale.ROOT, value == Math.rint(value) ? "%,.0f" : "%,.1f", value);
    }

    private static void drawXAxis(Graphics2D g, List<Integer> concurrencies) {
        FontMetrics metrics = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawLine(PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM);
        for (int i = 0; i < concurrencies.size(); i++) {
            int x = x(i, concurrencies.size());
            g.drawLine(x, PLOT_BOTTOM, x, PLOT_BOTTOM + 5);
            String label = concurrencies.get(i).toString();
            g.drawString(label, x - metrics.stringWidth(label) / 2, PLOT_BOTTOM + 8 + metrics.getAscent());
        }
        String axisTitle = "concurrency (requests in flight)";
        g.drawString(axisTitle, (PLOT_LEFT + PLOT_RIGHT - metrics.stringWidth(axisTitle)) / 2, HEIGHT - 20);
    }

    private static void drawCeilings(Graphics2D g, List<Ceiling> ceilings, double yMax) {
        FontMetrics metrics = g.getFontMetrics();
        Stroke solid = g.getStroke();
        g.setColor(CEILING_COLOUR);
        for (Ceiling ceiling : ceilings) {
            int y = y(ceiling.signaturesPerSecond(), yMax);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6},
                    0));
            g.drawLine(PLOT_LEFT, y, PLOT_RIGHT, y);
            g.setStroke(solid);
            String label = "RS256 ceiling " + ceiling.provider() + " \u00d7" + ceiling.threads();
            g.drawString(label, PLOT_RIGHT - 6 - metrics.stringWidth(label), y - 5);
        }
    }

    private static void drawSides(Graphics2D g, Summary summary, List<Integer> concurrencies, double yMax) {
        Stroke thin = g.getStroke();
        List<String> sides = summary.sides();
        for (int s = 0; s < sides.size(); s++) {
            g.setColor(colour(s));
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            List<Summary.Row> rows = summary.rows(sides.get(s));
            int[] xs = rows.stream().mapToInt(r -> x(concurrencies.indexOf(r.concurrency()), concurrencies.size()))
                    .toArray();
            int[] ys = rows.stream().mapToInt(r -> y(r.tokensPerSecond(), yMax)).toArray();
            g.drawPolyline(xs, ys, xs.length);
            for (int i = 0; i < xs.length; i++) {
                g.fillOval(xs[i] - 5, ys[i] - 5, 10, 10);
            }
        }
        g.setStroke(thin);
    }

    private static void drawLegend(Graphics2D g, List<String> sides) {
        FontMetrics metrics = g.getFontMetrics();
        int x = PLOT_LEFT;
        int y = 55;
        for (int s = 0; s < sides.size(); s++) {
            g.setColor(colour(s));
            g.fillRect(x, y - 6, 22, 4);
            g.fillOval(x + 6, y - 9, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(sides.get(s), x + 28, y);
            x += 28 + metrics.stringWidth(sides.get(s)) + 24;
        }
    }

    private static Color colour(int side) {
        return SIDE_COLOURS[side % SIDE_COLOURS.length];
    }

    // Concurrencies are categories: evenly spaced whatever their values, with half a slot of margin each side.
    private static int x(int index, int count) {
        return PLOT_LEFT + (int) Math.round((PLOT_RIGHT - PLOT_LEFT) * (index + 0.5) / count);
    }

    private static int y(double value, double yMax) {
        return PLOT_BOTTOM - (int) Math.round((PLOT_BOTTOM - PLOT_TOP) * value / yMax);
    }
}
