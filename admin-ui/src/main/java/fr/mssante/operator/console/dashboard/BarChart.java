package fr.mssante.operator.console.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart drawn on the server as SVG (no JavaScript, no CDN; every value is also in a table next to it for screen
 * readers). Series are stacked side by side within each group.
 */
public record BarChart(String id, int width, int height, List<Bar> bars, List<Label> labels, double max, List<Legend> legend) {
    static final int MARGIN_LEFT = 40;
    static final int MARGIN_BOTTOM = 24;
    static final String[] COLOURS = {"#1f5fa8", "#b3261e", "#2e7d32", "#8a5a00", "#5e35b1", "#00695c"};

    public record Bar(double x, double y, double width, double height, String fill, String title) {
    }

    public record Label(double x, double y, String text) {
    }

    public record Legend(String name, String fill) {
    }

    /** groups: the x-axis labels; series: one list of values (one per group) per series name. */
    public static BarChart of(String id, List<String> groups, List<String> seriesNames, List<List<Double>> series, int labelEvery) {
        int width = 720;
        int height = 220;
        double max = 1;
        for (List<Double> values : series) {
            for (double value : values) {
                max = Math.max(max, value);
            }
        }
        double plotWidth = width - MARGIN_LEFT - 10;
        double plotHeight = height - MARGIN_BOTTOM - 10;
        double groupWidth = groups.isEmpty() ? plotWidth : plotWidth / groups.size();
        double barWidth = Math.max(1, (groupWidth - 2) / Math.max(1, series.size()));
        List<Bar> bars = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            for (int s = 0; s < series.size(); s++) {
                double value = series.get(s).get(g);
                double barHeight = value / max * plotHeight;
                double x = MARGIN_LEFT + g * groupWidth + 1 + s * barWidth;
                bars.add(new Bar(round(x), round(10 + plotHeight - barHeight), round(barWidth), round(barHeight),
                    COLOURS[s % COLOURS.length], groups.get(g) + " " + seriesNames.get(s) + " : " + (long) value));
            }
            if (g % Math.max(1, labelEvery) == 0) {
                labels.add(new Label(round(MARGIN_LEFT + g * groupWidth), height - 6, groups.get(g)));
            }
        }
        List<Legend> legend = new ArrayList<>();
        for (int s = 0; s < seriesNames.size(); s++) {
            legend.add(new Legend(seriesNames.get(s), COLOURS[s % COLOURS.length]));
        }
        return new BarChart(id, width, height, bars, labels, max, legend);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10d;
    }
}
