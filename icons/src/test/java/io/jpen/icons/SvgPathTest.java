package io.jpen.icons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import org.junit.jupiter.api.Test;

class SvgPathTest {

    @Test
    void absoluteCommandsTraceTheOutlineTheyDescribe() {
        Path2D path = SvgPath.parse("M 1 2 H 5 V 6 L 3 7 Q 2 7 1 6 C 1 5 1 4 1 2 Z");
        Rectangle2D bounds = path.getBounds2D();
        assertThat(bounds.getMinX()).isEqualTo(1);
        assertThat(bounds.getMinY()).isEqualTo(2);
        assertThat(bounds.getMaxX()).isEqualTo(5);
        assertThat(bounds.getMaxY()).isEqualTo(7);
        assertThat(path.contains(3, 4)).isTrue();
    }

    @Test
    void severalSubpathsAndDecimalsAreRead() {
        Path2D path = SvgPath.parse("M 0 0 H 1 V 1 H 0 Z M 2.5 0 H 3.5 V 1 H 2.5 Z");
        assertThat(path.contains(0.5, 0.5)).isTrue();
        assertThat(path.contains(1.5, 0.5)).isFalse();
        assertThat(path.contains(3, 0.5)).isTrue();
    }

    @Test
    void unsupportedPathDataIsRejectedRatherThanMisdrawn() {
        assertThatThrownBy(() -> SvgPath.parse("M 0 0 l 1 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SvgPath.parse("M 0 0 A 1 1 0 0 1 2 2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SvgPath.parse("L 1 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SvgPath.parse("M 0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyDrawingOfTheIconParses() {
        for (IconPainter.Design design : new IconPainter.Design[] {IconPainter.LARGE, IconPainter.MEDIUM,
                IconPainter.SMALL_32, IconPainter.SMALL_24, IconPainter.SMALL_16}) {
            for (IconPainter.Layer layer : design.layers()) {
                if (layer.path() != null) {
                    Rectangle2D bounds = SvgPath.parse(layer.path()).getBounds2D();
                    assertThat(bounds.getMinX()).as(layer.path()).isGreaterThanOrEqualTo(0);
                    assertThat(bounds.getMinY()).as(layer.path()).isGreaterThanOrEqualTo(0);
                    assertThat(bounds.getMaxX()).as(layer.path()).isLessThanOrEqualTo(design.unit());
                    assertThat(bounds.getMaxY()).as(layer.path()).isLessThanOrEqualTo(design.unit());
                }
            }
        }
    }
}
