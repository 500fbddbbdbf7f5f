package io.jpen.core.cli;

import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Where picocli reads and writes one option's value: a field of an options object, found by the option's name,
 * without reflection (building the parser from the annotations took 60-70 ms of jpen's start) and without a lambda
 * per option (linking each took about 0.3 ms of the start; 94 of them, 30 ms: docs/performance.md, "Start-up").
 */
public final class Binding implements IGetter, ISetter {
    /** An options object's fields by option name: a switch over the names. */
    public interface Fields {
        Object get(String option);

        void set(String option, Object value);
    }

    private final Fields fields;
    private final String option;

    private Binding(Fields fields, String option) {
        this.fields = fields;
        this.option = option;
    }

    /** {@code option} bound to the field of {@code fields} named by its first name. */
    public static OptionSpec option(Fields fields, OptionSpec.Builder option) {
        Binding b = new Binding(fields, option.names()[0]);
        return option.initialValue(b.get()).getter(b).setter(b).build();
    }

    /** {@code parameter} bound to the field of {@code fields} that {@code name} names. */
    public static PositionalParamSpec positional(Fields fields, String name, PositionalParamSpec.Builder parameter) {
        Binding b = new Binding(fields, name);
        return parameter.initialValue(b.get()).getter(b).setter(b).build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
        return (T) fields.get(option);
    }

    @Override
    public <T> T set(T value) {
        T old = get();
        fields.set(option, value);
        return old;
    }
}
