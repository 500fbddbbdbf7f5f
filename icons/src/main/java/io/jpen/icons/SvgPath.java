package io.jpen.icons;

import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the small subset of SVG path data used by the icon (absolute {@code M L H V C Q Z})
 * into a {@link Path2D}, so that the SVG file and the Java2D drawing share the same numbers.
 */
final class SvgPath {

    private static final Pattern TOKEN = Pattern.compile("[MLHVCQZ]|-?\\d+(?:\\.\\d+)?");

    private SvgPath() {
    }

    static Path2D.Double parse(String data) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(data);
        int end = 0;
        while (m.find()) {
            String between = data.substring(end, m.start()).strip();
            if (!between.isEmpty() && !between.equals(",")) {
                throw new IllegalArgumentException("unsupported path data '" + between + "' in: " + data);
            }
            tokens.add(m.group());
            end = m.end();
        }
        if (!data.substring(end).isBlank()) {
            throw new IllegalArgumentException("unsupported path data at end of: " + data);
        }
        if (tokens.isEmpty() || !tokens.get(0).equals("M")) {
            throw new IllegalArgumentException("path data must start with M: " + data);
        }
        Path2D.Double path = new Path2D.Double();
        double x = 0;
        double y = 0;
        char command = 0;
        int i = 0;
        while (i < tokens.size()) {
            String t = tokens.get(i);
            if (Character.isLetter(t.charAt(0))) {
                command = t.charAt(0);
                i++;
                if (command == 'Z') {
                    path.closePath();
                    continue;
                }
            }
            switch (command) {
                case 'M' -> {
                    x = num(tokens, i++);
                    y = num(tokens, i++);
                    path.moveTo(x, y);
                    command = 'L';
                }
                case 'L' -> {
                    x = num(tokens, i++);
                    y = num(tokens, i++);
                    path.lineTo(x, y);
                }
                case 'H' -> {
                    x = num(tokens, i++);
                    path.lineTo(x, y);
                }
                case 'V' -> {
                    y = num(tokens, i++);
                    path.lineTo(x, y);
                }
                case 'C' -> {
                    double x1 = num(tokens, i++);
                    double y1 = num(tokens, i++);
                    double x2 = num(tokens, i++);
                    double y2 = num(tokens, i++);
                    x = num(tokens, i++);
                    y = num(tokens, i++);
                    path.curveTo(x1, y1, x2, y2, x, y);
                }
                case 'Q' -> {
                    double x1 = num(tokens, i++);
                    double y1 = num(tokens, i++);
                    x = num(tokens, i++);
                    y = num(tokens, i++);
                    path.quadTo(x1, y1, x, y);
                }
                default -> throw new IllegalStateException("unreachable: " + command);
            }
        }
        return path;
    }

    private static double num(List<String> tokens, int i) {
        if (i >= tokens.size() || Character.isLetter(tokens.get(i).charAt(0))) {
            throw new IllegalArgumentException("missing number in path data at token " + i);
        }
        return Double.parseDouble(tokens.get(i));
    }
}
