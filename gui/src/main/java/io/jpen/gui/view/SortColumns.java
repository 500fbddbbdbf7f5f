package io.jpen.gui.view;

import javafx.beans.value.ObservableValue;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Columns for tables whose view model keeps the order: each column carries the comparator of its underlying value
 * (numbers as numbers, not the formatted cell text), and {@link #comparator} turns the table's sort columns into one
 * order without creating cell bindings as the table's own comparator would.
 */
final class SortColumns {
    private SortColumns() {}

    @SuppressWarnings("unchecked")
    static <R> Comparator<R> comparator(TableView<R> t) {
        Comparator<R> order = null;
        for (TableColumn<R, ?> c : t.getSortOrder()) {
            Comparator<R> k = (Comparator<R>) c.getUserData();
            if (c.getSortType() == TableColumn.SortType.DESCENDING) k = k.reversed();
            order = order == null ? k : order.thenComparing(k);
        }
        return order;
    }

    static <R> TableColumn<R, String> text(String title, double width, Function<R, String> key,
                                           Function<R, ObservableValue<String>> value) {
        TableColumn<R, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> value.apply(f.getValue()));
        c.setUserData(Comparator.comparing(key));
        return c;
    }

    static <R> TableColumn<R, String> number(String title, double width, ToLongFunction<R> key,
                                             Function<R, ObservableValue<String>> value) {
        TableColumn<R, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> value.apply(f.getValue()));
        c.setUserData(Comparator.comparingLong(key));
        return c;
    }
}
