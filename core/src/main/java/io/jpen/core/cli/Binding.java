package io.jpen.core.cli;

import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where picocli reads and writes one option's value: a field of the options object, without reflection (building
 * the parser from the annotations took 60-70 ms of jpen's start, docs/performance.md, "Start-up").
 */
public final class Binding implements IGetter, ISetter {
    private final Supplier<?> get;
    private final Consumer<Object> set;

    private Binding(Supplier<?> get, Consumer<Object> set) {
        this.get = get;
        this.set = set;
    }

    @SuppressWarnings("unchecked")
    public static <V> Binding of(Supplier<V> get, Consumer<V> set) {
        return new Binding(get, v -> set.accept((V) v));
    }

    /** {@code option} bound to the field that {@code get} reads and {@code set} writes. */
    public static <V> OptionSpec option(OptionSpec.Builder option, Supplier<V> get, Consumer<V> set) {
        Binding b = of(get, set);
        return option.initialValue(get.get()).getter(b).setter(b).build();
    }

    /** {@code parameter} bound to the field that {@code get} reads and {@code set} writes. */
    public static <V> PositionalParamSpec positional(PositionalParamSpec.Builder parameter, Supplier<V> get, Consumer<V> set) {
        Binding b = of(get, set);
        return parameter.initialValue(get.get()).getter(b).setter(b).build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
        return (T) get.get();
    }

    @Override
    public <T> T set(T value) {
        T old = get();
        set.accept(value);
        return old;
    }
}
