package dev.machineoidc.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

class ThroughputChartTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void writesAReadablePngOfTheChartSizeWithTheSidesDrawnInThePlotArea() throws IOException {
        Path png = dir.resolve("throughput.png");

        ThroughputChart.write(SummaryTest.sample(), List.of(new Ceiling("SunRsaSign", 8, 12_000)),
                "machine-oidc vs client_credentials", png);

        try (InputStream in = Files.newInputStream(png)) {
            assertThat(in.readNBytes(PNG_SIGNATURE.length), is(PNG_SIGNATURE));
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image, notNullValue());
        assertThat(image.getWidth(), is(ThroughputChart.WIDTH));
        assertThat(image.getHeight(), is(ThroughputChart.HEIGHT));
        assertThat(ThroughputChart.WIDTH, is(900));
        assertThat(ThroughputChart.HEIGHT, is(560));
        // Gridlines, axes, ceilings and text are grey or black; only the sides' lines and markers are coloured.
        assertThat(colouredPixels(image, ThroughputChart.PLOT_LEFT + 1, ThroughputChart.PLOT_TOP,
                ThroughputChart.PLOT_RIGHT, ThroughputChart.PLOT_BOTTOM - 1), greaterThan(1_000));
    }

    @Test
    void aChartWithoutMeasurementsIsStillAnImage() throws IOException {
        Path png = dir.resolve("empty.png");

        ThroughputChart.write(Summary.of(List.of()), List.of(), "nothing measured", png);

        assertThat(ImageIO.read(png.toFile()).getWidth(), is(ThroughputChart.WIDTH));
    }

    @Test
    void theYAxisEndsAboveTheHighestValueOnARoundStep() {
        assertAxis(ThroughputChart.YAxis.covering(3_000), 4_000, 1_000);
        assertAxis(ThroughputChart.YAxis.covering(12_000), 15_000, 5_000);
        assertAxis(ThroughputChart.YAxis.covering(40_000.4), 50_000, 10_000);
        assertAxis(ThroughputChart.YAxis.covering(950), 1_000, 200);
        assertAxis(ThroughputChart.YAxis.covering(0), 1, 0.2);
    }

    @Test
    void theYAxisAlwaysLeavesHeadroomAndAtMostSixSteps() {
        for (double highest = 0.7; highest < 1e7; highest *= 1.37) {
            ThroughputChart.YAxis axis = ThroughputChart.YAxis.covering(highest);
            assertThat(axis.max(), greaterThanOrEqualTo(highest * 1.05));
            assertThat(axis.max() / axis.step(), lessThanOrEqualTo(6.000001));
        }
    }

    private static void assertAxis(ThroughputChart.YAxis axis, double max, double step) {
        assertThat(axis.max(), closeTo(max, 1e-9));
        assertThat(axis.step(), closeTo(step, 1e-9));
    }

    private static int colouredPixels(BufferedImage image, int left, int top, int right, int bottom) {
        int coloured = 0;
        for (int y = top; y < bottom; y++) {
            for (int x = left; x < right; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    coloured++;
                }
            }
        }
        return coloured;
    }
}
