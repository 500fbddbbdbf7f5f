package io.jpen.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Arrays;
import java.util.List;

/** A picocli model as text, one line per option and parameter: what two parsers must share to read alike. */
public final class ParserModel {
    private ParserModel() {}

    public static List<String> describe(CommandSpec spec) {
        return spec.args().stream().map(ParserModel::describe).toList();
    }

    private static String describe(ArgSpec a) {
        String names = a instanceof OptionSpec o ? Arrays.toString(o.names()) + (o.usageHelp() ? " usageHelp" : "")
                + (o.versionHelp() ? " versionHelp" : "") : "positional " + ((CommandLine.Model.PositionalParamSpec) a).index();
        return names + " arity=" + a.arity() + " type=" + a.type().getName() + " aux=" + Arrays.toString(a.auxiliaryTypes())
                + " label=" + a.paramLabel() + " required=" + a.required() + " description=" + Arrays.toString(a.description())
                + " initial=" + (a.initialValue() instanceof boolean[] b ? Arrays.toString(b) : a.initialValue());
    }
}
