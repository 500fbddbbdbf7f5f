package io.jpen.gui.model;

import javafx.collections.ModifiableObservableListBase;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An observable list for tables with thousands of rows whose values change in place. Its {@link #resort} uses
 * the JDK's adaptive merge sort (nearly linear on a nearly sorted list, which a table re-sorted every tick is)
 * and fires one permutation, or nothing when the order did not change; the table moves rows and keeps its
 * selection. Bulk additions and removals fire one change each.
 */
public final class LiveList<E> extends ModifiableObservableListBase<E> {
    private ArrayList<E> data = new ArrayList<>();

    @Override public E get(int index) { return data.get(index); }
    @Override public int size() { return data.size(); }
    @Override protected void doAdd(int index, E element) { data.add(index, element); }
    @Override protected E doSet(int index, E element) { return data.set(index, element); }
    @Override protected E doRemove(int index) { return data.remove(index); }

    /** Puts the list in {@code order}; returns whether anything moved. */
    public boolean resort(Comparator<? super E> order) {
        int n = data.size();
        Integer[] byNewPosition = new Integer[n];
        for (int i = 0; i < n; i++) byNewPosition[i] = i;
        List<E> d = data;
        Arrays.sort(byNewPosition, (a, b) -> order.compare(d.get(a), d.get(b))); // stable: equal rows stay put
        boolean moved = false;
        for (int i = 0; i < n && !moved; i++) moved = byNewPosition[i] != i;
        if (!moved) return false;
        int[] perm = new int[n];
        ArrayList<E> next = new ArrayList<>(n);
        for (int newPos = 0; newPos < n; newPos++) {
            perm[byNewPosition[newPos]] = newPos;
            next.add(d.get(byNewPosition[newPos]));
        }
        data = next;
        beginChange();
        nextPermutation(0, n, perm);
        endChange();
        return true;
    }
}
