package io.jpen.icons;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.LinearGradientPaint;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws the jpen icon with Java2D, antialiased, at any size.
 *
 * <p>The design: an ink-blue rounded square; on it a white fountain-pen nib points right, and the
 * amber ink leaving its tip fans out into three branches, each ending in a round node (a backend).
 * One stream in, three out: a load balancer drawn with a pen.
 *
 * <p>Each drawing is data: layers of SVG path data, circles and strokes ({@link Design}). The full
 * design {@link #LARGE} is used from 64 pixels up, and {@link #svg()} writes its very numbers out
 * as {@code jpen.svg}, so the vector file and the PNGs cannot disagree. Smaller icons use
 * simplified drawings of the same idea, because details under a pixel or two wide only blur:
 * {@link #MEDIUM} (no slit, no collar) from 41 to 63 pixels, and drawings snapped to the pixel
 * grid for 32, 24 and 16 pixels ({@link #SMALL_32}, {@link #SMALL_24}, {@link #SMALL_16}).
 */
public final class IconPainter {

    /** The colours of the design, shared by every size. */
    enum Ink {
        /** Vertical gradient of the badge. */
        BADGE,
        /** The nib. */
        NIB,
        /** The ink line and its branches. */
        LINE,
        /** The three backend nodes. */
        NODE
    }

    static final Color BADGE_TOP = new Color(0x3A6FF0);
    static final Color BADGE_BOTTOM = new Color(0x1B2C8F);
    static final Color NIB_COLOR = new Color(0xFFFFFF);
    static final Color LINE_COLOR = new Color(0xFFC53D);
    static final Color NODE_COLOR = new Color(0xFFC53D);

    /** One element of a drawing: a filled path, a stroked path or a filled circle. */
    record Layer(Kind kind, Ink ink, String path, double[] numbers) {
        enum Kind { FILL, STROKE, CIRCLE }

        static Layer fill(Ink ink, String path) {
            return new Layer(Kind.FILL, ink, path, new double[0]);
        }

        static Layer stroke(Ink ink, double width, String path) {
            return new Layer(Kind.STROKE, ink, path, new double[] {width});
        }

        static Layer circle(Ink ink, double cx, double cy, double r) {
            return new Layer(Kind.CIRCLE, ink, null, new double[] {cx, cy, r});
        }
    }

    /**
     * A drawing on a square canvas of {@code unit}×{@code unit} units. The badge, a rounded square
     * with corner radius {@code radius}, fills the canvas; the layers are painted over it in order.
     */
    record Design(double unit, double radius, List<Layer> layers) {
    }

    private static final String NIB_OUTLINE = " L 110 170.5 Q 120 164 132 164"
            + " C 184 166 240 216 290 256 C 240 296 184 346 132 348 Q 120 348 110 341.5 L 74 318";
    /** The collar of the pen's grip, left of the nib. */
    private static final Layer COLLAR = Layer.fill(Ink.NIB,
            "M 38 208 C 38 200 44 194 52 194 H 60 V 318 H 52 C 44 318 38 312 38 304 Z");
    private static final Layer NIB = Layer.fill(Ink.NIB, "M 74 194" + NIB_OUTLINE + " Z");
    /** The slit, from the breather hole to the tip. */
    private static final Layer SLIT = Layer.fill(Ink.BADGE, "M 158 251 H 292 V 261 H 158 Z");
    private static final Layer HOLE = Layer.circle(Ink.BADGE, 158, 256, 20);
    private static final List<Layer> FAN_OUT = List.of(
            Layer.stroke(Ink.LINE, 34, "M 302 256 H 392"),
            Layer.stroke(Ink.LINE, 34, "M 302 256 C 348 256 344 136 392 136"),
            Layer.stroke(Ink.LINE, 34, "M 302 256 C 348 256 344 376 392 376"),
            Layer.circle(Ink.NODE, 408, 136, 44),
            Layer.circle(Ink.NODE, 408, 256, 44),
            Layer.circle(Ink.NODE, 408, 376, 44));

    /**
     * The full design, in a 512-unit badge space; used from 64 pixels up and written out as the
     * SVG. From left to right: the collar of the pen's grip, the nib (its slit and breather hole
     * are cut out by painting the badge gradient over it), the ink leaving the tip, its three
     * branches and the three backend nodes.
     */
    static final Design LARGE = new Design(512, 116,
            concat(List.of(COLLAR, NIB, SLIT, HOLE), FAN_OUT));

    /**
     * The full design simplified for 41 to 63 pixels. There the slit and the gap before the collar
     * are about a pixel wide, straddle two rows or columns and show as muddy light-blue bars; so
     * the collar merges into the back of the nib and only the breather hole is cut out.
     */
    static final Design MEDIUM = new Design(512, 116, concat(List.of(
            Layer.fill(Ink.NIB, "M 48 194 H 74" + NIB_OUTLINE + " H 48 Z"), HOLE), FAN_OUT));

    /** The 32-pixel drawing: the medium design fattened and snapped to the pixel grid. */
    static final Design SMALL_32 = new Design(32, 7, List.of(
            Layer.fill(Ink.NIB, "M 2 11 H 5 L 7.5 8.7 Q 8.5 8 9.5 8 C 12 8.2 14.5 12 17.5 16"
                    + " C 14.5 20 12 23.8 9.5 24 Q 8.5 24 7.5 23.3 L 5 21 H 2 Z"),
            Layer.fill(Ink.BADGE, "M 8 15 H 11 V 17 H 8 Z"),
            Layer.stroke(Ink.LINE, 2.2, "M 17.5 16 H 24"),
            Layer.stroke(Ink.LINE, 2.2, "M 17.5 16 C 20.5 16 21 8 24 8"),
            Layer.stroke(Ink.LINE, 2.2, "M 17.5 16 C 20.5 16 21 24 24 24"),
            Layer.circle(Ink.NODE, 25, 8, 3),
            Layer.circle(Ink.NODE, 25, 16, 3),
            Layer.circle(Ink.NODE, 25, 24, 3)));

    /** The 24-pixel drawing: a straight-sided nib, straight branches, bevelled square nodes. */
    static final Design SMALL_24 = new Design(24, 5, List.of(
            Layer.fill(Ink.NIB, "M 2 8 H 4 L 6 6 H 7 L 12.5 12 L 7 18 H 6 L 4 16 H 2 Z"),
            Layer.fill(Ink.BADGE, "M 6 11 H 8 V 13 H 6 Z"),
            Layer.stroke(Ink.LINE, 2, "M 12 12 H 18"),
            Layer.stroke(Ink.LINE, 2, "M 13 12 L 18 6"),
            Layer.stroke(Ink.LINE, 2, "M 13 12 L 18 18"),
            Layer.fill(Ink.NODE, "M 18.5 4 H 21.5 L 22 4.5 V 7.5 L 21.5 8 H 18.5 L 18 7.5 V 4.5 Z"),
            Layer.fill(Ink.NODE, "M 18.5 10 H 21.5 L 22 10.5 V 13.5 L 21.5 14 H 18.5 L 18 13.5 V 10.5 Z"),
            Layer.fill(Ink.NODE, "M 18.5 16 H 21.5 L 22 16.5 V 19.5 L 21.5 20 H 18.5 L 18 19.5 V 16.5 Z")));

    /**
     * The 16-pixel drawing, laid out pixel by pixel on rows 2 to 12 (centred on row 7): a nib with
     * a one-pixel hole, one-pixel staircase branches and 3×3 nodes with softened corners.
     */
    static final Design SMALL_16 = new Design(16, 3.5, List.of(
            Layer.fill(Ink.NIB, "M 1 5 H 2 L 3 4 H 4 L 8 7.5 L 4 11 H 3 L 2 10 H 1 Z"),
            Layer.fill(Ink.BADGE, "M 4 7 H 5 V 8 H 4 Z"),
            Layer.fill(Ink.LINE, "M 8 7 H 12 V 8 H 8 Z"),
            Layer.fill(Ink.LINE, "M 9 6 H 10 V 7 H 9 Z M 10 5 H 11 V 6 H 10 Z M 11 4 H 12 V 5 H 11 Z"),
            Layer.fill(Ink.LINE, "M 9 8 H 10 V 9 H 9 Z M 10 9 H 11 V 10 H 10 Z M 11 10 H 12 V 11 H 11 Z"),
            Layer.fill(Ink.NODE, "M 12.5 2 H 14.5 L 15 2.5 V 4.5 L 14.5 5 H 12.5 L 12 4.5 V 2.5 Z"),
            Layer.fill(Ink.NODE, "M 12.5 6 H 14.5 L 15 6.5 V 8.5 L 14.5 9 H 12.5 L 12 8.5 V 6.5 Z"),
            Layer.fill(Ink.NODE, "M 12.5 10 H 14.5 L 15 10.5 V 12.5 L 14.5 13 H 12.5 L 12 12.5 V 10.5 Z")));

    private IconPainter() {
    }

    private static List<Layer> concat(List<Layer> a, List<Layer> b) {
        List<Layer> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** Renders the icon into a new ARGB image of {@code size}×{@code size} pixels. */
    public static BufferedImage render(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            paint(g, size);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Paints the icon into the square {@code (0, 0, size, size)} of {@code g}. */
    public static void paint(Graphics2D g, int size) {
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g2.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g2.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING,
                    RenderingHints.VALUE_COLOR_RENDER_QUALITY);
            Design design = designFor(size);
            double inset = insetFor(size);
            double scale = (size - 2 * inset) / design.unit();
            g2.translate(inset, inset);
            g2.scale(scale, scale);
            draw(g2, design);
        } finally {
            g2.dispose();
        }
    }

    /** The drawing used at a given pixel size. */
    static Design designFor(int size) {
        if (size <= 20) {
            return SMALL_16;
        }
        if (size <= 28) {
            return SMALL_24;
        }
        if (size <= 40) {
            return SMALL_32;
        }
        if (size < 64) {
            return MEDIUM;
        }
        return LARGE;
    }

    /**
     * The transparent margin around the badge, in whole pixels so the badge edges stay sharp:
     * 3/64 of the side (24 px at 512), none at the small sizes where every pixel counts.
     */
    static int insetFor(int size) {
        return size <= 40 ? 0 : size * 3 / 64;
    }

    private static void draw(Graphics2D g, Design design) {
        double u = design.unit();
        g.setPaint(paint(Ink.BADGE, u));
        g.fill(new RoundRectangle2D.Double(0, 0, u, u, 2 * design.radius(), 2 * design.radius()));
        for (Layer layer : design.layers()) {
            g.setPaint(paint(layer.ink(), u));
            Shape shape = switch (layer.kind()) {
                case FILL -> SvgPath.parse(layer.path());
                case STROKE -> new BasicStroke((float) layer.numbers()[0], BasicStroke.CAP_ROUND,
                        BasicStroke.JOIN_ROUND).createStrokedShape(SvgPath.parse(layer.path()));
                case CIRCLE -> {
                    double[] n = layer.numbers();
                    yield new Ellipse2D.Double(n[0] - n[2], n[1] - n[2], 2 * n[2], 2 * n[2]);
                }
            };
            g.fill(shape);
        }
    }

    private static Paint paint(Ink ink, double unit) {
        return switch (ink) {
            case BADGE -> new LinearGradientPaint(new Point2D.Double(0, 0), new Point2D.Double(0, unit),
                    new float[] {0f, 1f}, new Color[] {BADGE_TOP, BADGE_BOTTOM});
            case NIB -> NIB_COLOR;
            case LINE -> LINE_COLOR;
            case NODE -> NODE_COLOR;
        };
    }

    /** The large design as a standalone SVG document, 512×512 with the same margin as the PNGs. */
    public static String svg() {
        Design d = LARGE;
        int size = 512;
        int inset = insetFor(size);
        double scale = (size - 2.0 * inset) / d.unit();
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append("<!-- jpen icon. Generated by io.jpen.icons.IconGenerator from IconPainter.LARGE;"
                + " edit the Java source, not this file. -->\n");
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"512\" height=\"512\""
                + " viewBox=\"0 0 512 512\">\n");
        s.append("  <title>jpen</title>\n");
        s.append("  <defs>\n");
        s.append("    <linearGradient id=\"badge\" gradientUnits=\"userSpaceOnUse\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"")
                .append(fmt(d.unit())).append("\">\n");
        s.append("      <stop offset=\"0\" stop-color=\"").append(hex(BADGE_TOP)).append("\"/>\n");
        s.append("      <stop offset=\"1\" stop-color=\"").append(hex(BADGE_BOTTOM)).append("\"/>\n");
        s.append("    </linearGradient>\n");
        s.append("  </defs>\n");
        s.append("  <g transform=\"translate(").append(inset).append(' ').append(inset)
                .append(") scale(").append(fmt(scale)).append(")\">\n");
        s.append("    <rect width=\"").append(fmt(d.unit())).append("\" height=\"").append(fmt(d.unit()))
                .append("\" rx=\"").append(fmt(d.radius())).append("\" fill=\"url(#badge)\"/>\n");
        for (Layer layer : d.layers()) {
            String colour = svgPaint(layer.ink());
            switch (layer.kind()) {
                case FILL -> s.append("    <path d=\"").append(layer.path()).append("\" fill=\"")
                        .append(colour).append("\"/>\n");
                case STROKE -> s.append("    <path d=\"").append(layer.path())
                        .append("\" fill=\"none\" stroke=\"").append(colour)
                        .append("\" stroke-width=\"").append(fmt(layer.numbers()[0]))
                        .append("\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>\n");
                case CIRCLE -> {
                    double[] n = layer.numbers();
                    s.append("    <circle cx=\"").append(fmt(n[0])).append("\" cy=\"").append(fmt(n[1]))
                            .append("\" r=\"").append(fmt(n[2])).append("\" fill=\"").append(colour)
                            .append("\"/>\n");
                }
                default -> throw new IllegalStateException();
            }
        }
        s.append("  </g>\n");
        s.append("</svg>\n");
        return s.toString();
    }

    private static String svgPaint(Ink ink) {
        return switch (ink) {
            case BADGE -> "url(#badge)";
            case NIB -> hex(NIB_COLOR);
            case LINE -> hex(LINE_COLOR);
            case NODE -> hex(NODE_COLOR);
        };
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private static String fmt(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }
}
