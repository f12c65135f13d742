package lib.core;

//DEPS info.picocli:picocli:4.7.7

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * Runs a picocli command with the harness's exit codes: 0 every cell passed,
 * 1 a cell failed, 2 bad input (one line on stderr), 3 the harness itself broke,
 * so a harness bug never passes for a failed cell. Artifacts it could not write
 * (a full disk) are one line and exit 3, wherever they were found, a cell's thread
 * included; so is a java.lang.Error, which would otherwise end the JVM with exit 1.
 */
public final class Cli {
    public static final int HARNESS_BROKE = 3;
    /**
     * Set by ./jbang on a run that records the class-data-sharing archive later runs
     * start from: the path the archive is written to at exit.
     */
    static final String CDS_RECORDING = "moq.smoke.cds.recording";

    private Cli() {}

    public static int execute(Object command, String... args) {
        CommandLine cli = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
        cli.getCommandSpec().options().forEach(o -> lowerCaseNames(cli, o.type()));
        String name = cli.getCommandName();
        cli.setParameterExceptionHandler((ParameterException e, String[] given) -> usageError(e.getCommandLine().getErr(), name, e.getMessage()));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageError) return usageError(commandLine.getErr(), name, e.getMessage());
            return harnessBroke(commandLine.getErr(), name, e);
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (Error e) {
            code = harnessBroke(cli.getErr(), name, e);
        }
        boolean partial = code == CommandLine.ExitCode.USAGE || cli.isUsageHelpRequested() || cli.isVersionHelpRequested();
        if (partial && isThisJvmsMain(command)) archiveIsPartial();
        return code;
    }

    /**
     * An enum option's values as the help and the README spell them ("path", "cargo"):
     * picocli's own error lists the constants' names in capitals.
     */
    private static <E extends Enum<E>> void lowerCaseNames(CommandLine cli, Class<?> type) {
        if (!type.isEnum()) return;
        @SuppressWarnings("unchecked")
        Class<E> values = (Class<E>) type;
        List<String> names = java.util.Arrays.stream(values.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        cli.registerConverter(values, given -> java.util.Arrays.stream(values.getEnumConstants())
                .filter(e -> e.name().equalsIgnoreCase(given.strip())).findFirst()
                .orElseThrow(() -> new CommandLine.TypeConversionException("'" + given + "' is not one of " + String.join(", ", names))));
    }

    /**
     * Bad input when option is on the command line together with any of others, which
     * it would otherwise override without a word.
     *
     * @throws UsageError naming the options, e.g. "--full runs every client: leave out --publishers"
     */
    public static void refuseTogether(CommandSpec spec, String option, String why, String... others) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption(option)) return;
        List<String> clash = java.util.Arrays.stream(others).filter(given::hasMatchedOption).toList();
        if (!clash.isEmpty()) throw new UsageError(option + " " + why + ": leave out " + String.join(" and ", clash));
    }

    /**
     * Bad input when option is on the command line with any option but allowed.
     *
     * @throws UsageError naming the options that would be dropped
     */
    public static void refuseAllBut(CommandSpec spec, String option, String why, String... allowed) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption(option)) return;
        List<String> clash = given.matchedOptions().stream().map(OptionSpec::longestName)
                .filter(name -> !name.equals(option) && !List.of(allowed).contains(name)).distinct().toList();
        if (!clash.isEmpty()) throw new UsageError(option + " " + why + ": leave out " + String.join(" and ", clash));
    }

    /**
     * Whether command is what this JVM was started to run. The test runner executes
     * commands in-process too, many with bad input on purpose: those say nothing about
     * the classes the runner's own archive holds.
     */
    private static boolean isThisJvmsMain(Object command) {
        String launched = System.getProperty("sun.java.command", "");
        return launched.equals(command.getClass().getName()) || launched.startsWith(command.getClass().getName() + " ");
    }

    /**
     * A run that only printed help or refused its input loads a fraction of the classes
     * a real run does; its archive would leave later runs loading the rest the slow way,
     * so this run says so and ./jbang drops the archive and records the next run's.
     */
    private static void archiveIsPartial() {
        String recording = System.getProperty(CDS_RECORDING);
        if (recording == null) return;
        try {
            Files.writeString(Path.of(recording + ".partial"), "");
        } catch (IOException e) {
            // Then the small archive is kept: slower start-ups, never a wrong result.
        }
    }

    /** The effective value of every option, JSON-friendly, for results.json. */
    public static Map<String, Object> optionValues(CommandSpec spec) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) continue;
            values.put(option.longestName().replaceFirst("^-+", ""), plain(option.getValue()));
        }
        return values;
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number) return value;
        if (value instanceof Collection<?> items) return items.stream().map(Cli::plain).toList();
        // An enum with a name of its own (a --gop of "200ms") is written as it is given.
        if (value instanceof Enum<?> constant) {
            return constant.toString().equals(constant.name()) ? constant.name().toLowerCase(Locale.ROOT) : constant.toString();
        }
        return value.toString();
    }

    private static int harnessBroke(PrintWriter err, String name, Throwable e) {
        var artifacts = ArtifactFailure.in(e);
        if (artifacts.isPresent()) {
            err.println(name + ": " + artifacts.get().getMessage());
        } else {
            err.println(name + ": the harness itself failed (not a cell verdict):");
            e.printStackTrace(err);
        }
        err.flush();
        return HARNESS_BROKE;
    }

    private static int usageError(PrintWriter err, String name, String message) {
        err.println(name + ": " + message + " (see --help)");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }
}
