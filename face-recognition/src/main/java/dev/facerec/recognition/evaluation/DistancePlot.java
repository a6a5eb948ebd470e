package dev.facerec.recognition.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The genuine and impostor distance distributions as a PNG: the share of each kind of pair per 0.02 of distance, with
 * the match threshold marked, so that the overlap a threshold leaves can be seen.
 */
public final class DistancePlot {
    private static final double BIN = 0.02;
    private static final double MAX = 1.4;

    private DistancePlot() {
    }

    public static void write(QualityReport.Distances distances, double threshold, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("Descriptor distances: same person (genuine) and different people (impostor)")
                .xAxisTitle("Euclidean distance").yAxisTitle("share of pairs").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(MAX);
        curve(chart, "genuine (" + distances.genuine().size() + " pairs)", distances.genuine(), new Color(30, 140, 60));
        curve(chart, "impostor (" + distances.impostor().size() + " pairs)", distances.impostor(),
                new Color(200, 50, 40));
        double top = chart.getSeriesMap().values().stream()
                .mapToDouble(series -> series.getYMax()).max().orElse(1);
        XYSeries line = chart.addSeries(String.format(Locale.ROOT, "threshold %.2f", threshold),
                new double[] {threshold, threshold}, new double[] {0, top});
        line.setLineColor(Color.BLACK);
        line.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f},
                0f));
        line.setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void curve(XYChart chart, String name, List<Double> distances, Color color) {
        int bins = (int) Math.ceil(MAX / BIN);
        double[] share = new double[bins];
        for (double d : distances) {
            share[Math.min(bins - 1, (int) (d / BIN))] += 1.0 / distances.size();
        }
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            x.add((i + 0.5) * BIN);
            y.add(share[i]);
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarker(SeriesMarkers.NONE);
    }
}
