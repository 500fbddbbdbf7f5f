package io.jpen.gui.testing;

import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import org.testfx.api.FxRobotInterface;
import org.testfx.util.NodeQueryUtils;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads, waits and clicks on the FX thread, always bounded, for the console's TestFX tests. TestFX's own
 * {@code clickOn(query)} and {@code clickOn(node)} look the node up and compute its bounds on the test thread while the
 * FX thread may be laying the scene out (TestFX issue 813): CI saw a button found with no scene (an NPE in TestFX) and
 * JavaFX's cached bounds corrupted ("Index -1 out of bounds" in {@code Parent.updateCachedBounds}). Here the node and
 * its place on the screen are found on the FX thread; the robot then moves and clicks there.
 */
public final class Fx {
    private Fx() {}

    /** Runs {@code c} on the FX thread and returns its result (at most 10 s). */
    public static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the condition, evaluated on the FX thread, holds (at most 20 s). */
    public static void waitFor(Callable<Boolean> condition) {
        waitFor(condition, () -> "");
    }

    /** The same; when it times out, the message says what {@code seen} (read on the FX thread then) returned. */
    public static void waitFor(Callable<Boolean> condition, Callable<String> seen) {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(condition));
        } catch (TimeoutException e) {
            String what = fx(seen);
            throw new AssertionError("condition not met within 20 s" + (what.isEmpty() ? "" : "; seen: " + what), e);
        }
    }

    /** Clicks the first visible node {@code query} (a CSS selector or a label's text) finds. */
    public static FxRobotInterface click(FxRobotInterface robot, String query) {
        return robot.clickOn(aim(robot, centre(robot, query)));
    }

    /** Clicks {@code node}. */
    public static FxRobotInterface click(FxRobotInterface robot, Node node) {
        return robot.clickOn(aim(robot, centre(node)));
    }

    /** Double-clicks the first visible node {@code query} finds (in a text field: selects a word). */
    public static FxRobotInterface doubleClick(FxRobotInterface robot, String query) {
        return robot.doubleClickOn(aim(robot, centre(robot, query)));
    }

    /** Where a click lands, and its window: the one TestFX then types into (as its own clickOn sets it). */
    private record Place(Point2D point, javafx.stage.Window window) {}

    private static Point2D aim(FxRobotInterface robot, Place p) {
        robot.targetWindow(p.window());
        return p.point();
    }

    private static Place centre(FxRobotInterface robot, String query) {
        return steady(() -> {
            Node n = robot.lookup(query).match(NodeQueryUtils.isVisible()).query();
            return n == null ? null : centreOf(n);
        }, "no visible node for " + query);
    }

    private static Place centre(Node node) {
        return steady(() -> centreOf(node), node + " is not on the screen");
    }

    /**
     * The place {@code where} gives (on the FX thread) once it is there and the same two pulses apart: a window just
     * shown is placed (centred on its owner) a pulse later, and a click at its first place lands elsewhere.
     */
    private static Place steady(Callable<Place> where, String missing) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Place last = null;
        while (true) {
            WaitForAsyncUtils.waitForFxEvents();
            Place now = fx(where);
            if (now != null && now.equals(last)) return now;
            if (System.nanoTime() > deadline) {
                if (now != null) return now;
                throw new AssertionError(missing);
            }
            last = now;
        }
    }

    private static Place centreOf(Node n) {
        Bounds b = n.localToScreen(n.getBoundsInLocal());
        return b == null || n.getScene() == null ? null
                : new Place(new Point2D(b.getCenterX(), b.getCenterY()), n.getScene().getWindow());
    }
}
