package io.jpen.gui.view;

import javafx.collections.ObservableList;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;

/**
 * A line chart over time that leaves a gap where two points are more than {@code gapSeconds} apart: nothing was
 * known there (the balancer was out of reach), and a line across would show figures nobody measured.
 */
final class GapLineChart extends LineChart<Number, Number> {
    private final double gapSeconds;

    GapLineChart(NumberAxis x, NumberAxis y, double gapSeconds) {
        super(x, y);
        this.gapSeconds = gapSeconds;
    }

    @Override
    protected void layoutPlotChildren() {
        super.layoutPlotChildren();
        // LineChart draws each series as one path, a move to the first point and a line to each next one (in x
        // order): where the time between two points is too long, the line to the second becomes a move
        NumberAxis x = (NumberAxis) getXAxis();
        for (Series<Number, Number> s : getData()) {
            if (!(s.getNode() instanceof Path path)) continue;
            ObservableList<PathElement> elements = path.getElements();
            double previous = Double.NaN;
            for (int i = 0; i < elements.size(); i++) {
                PathElement e = elements.get(i);
                double px;
                if (e instanceof LineTo l) px = l.getX();
                else if (e instanceof MoveTo m) px = m.getX();
                else continue;
                double seconds = x.getValueForDisplay(px).doubleValue();
                if (e instanceof LineTo l && seconds - previous > gapSeconds) elements.set(i, new MoveTo(l.getX(), l.getY()));
                previous = seconds;
            }
        }
    }
}
