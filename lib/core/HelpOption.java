package lib.core;

import picocli.CommandLine.Option;

/**
 * -h/--help for every command. Not picocli's standard mixin: its -V/--version would
 * promise a version this project, which has no releases, cannot give.
 */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
