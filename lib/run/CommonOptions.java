package lib.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import lib.core.Pins;
import lib.delivery.Channel;

/** Options shared by smoke.java and token.java. */
public final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private int timeoutSeconds;
    private int jobs;
    private int repeat;
    private Pins pins = Pins.none();

    @Option(names = "--channel", paramLabel = "CHANNEL", defaultValue = "path", completionCandidates = ChannelNames.class,
            description = "How the Rust binaries are provided: ${COMPLETION-CANDIDATES}. path takes them from PATH "
                    + "(or RELAY_BIN, MOQ_BIN, TOKEN_BIN); cargo installs the latest into the cache (default: ${DEFAULT-VALUE}).")
    public Channel channel;

    @Option(names = "--out", paramLabel = "DIR", description = "Artifacts dir for logs and reports (default: out/<run-id>); must be new or empty. One run claims it; a second is refused.")
    public Path out;

    @Option(names = "--keep", description = "Keep the private scratch dir (configs, keys) after the run.")
    public boolean keep;

    @Option(names = "--require-available", description = "Fail the run when a cell is unavailable, not just when one fails.")
    public boolean requireAvailable;

    @Option(names = "--expectations", paramLabel = "FILE",
            description = "Known-red cells ([[expect]] entries: suite, cell, reason regex, tracking URL, expires date); "
                    + "a red cell matching one is xfail and does not fail the run (default: expectations.toml here, if present).")
    public Path expectations;

    @Option(names = "--strict", description = "Fail the run on an xpass too: a cell expected red that passed.")
    public boolean strict;

    @Option(names = "--rerun-failed", paramLabel = "RESULTS",
            description = "Rerun exactly the cells that failed in that run's results.json, with that run's options (only --out is this run's).")
    public Path rerunFailed;

    @Option(names = "--list", description = "List every known implementation, what it can do and whether it is available here, then exit.")
    public boolean list;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Per-cell time limit in seconds (default: ${DEFAULT-VALUE}).")
    void timeout(int seconds) {
        if (seconds <= 0) throw new ParameterException(mixee.commandLine(), "--timeout must be a positive number of seconds, not " + seconds);
        timeoutSeconds = seconds;
    }

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "4", description = "How many cells run at once (default: ${DEFAULT-VALUE}).")
    void jobs(int count) {
        if (count <= 0) throw new ParameterException(mixee.commandLine(), "--jobs must be at least 1, not " + count);
        jobs = count;
    }

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Run the matrix N times (on one relay); each cell reports its pass rate (and, for media, first-frame median/max) (default: ${DEFAULT-VALUE}).")
    void repeat(int rounds) {
        if (rounds <= 0) throw new ParameterException(mixee.commandLine(), "--repeat must be at least 1, not " + rounds);
        repeat = rounds;
    }

    @Option(names = "--pin", paramLabel = "NAME=VERSION", split = ",",
            description = "Install exactly this version of a package instead of the latest (repeatable). NAME as its tool names it, as results.json's "
                    + "artifacts do: e.g. moq-relay, moq-cli, moq-rs, @moq/net, moq-token-cli, @moq/token, moq.dev/moq, dev.moq:moq, bun, "
                    + "moqdev/moq-relay (VERSION: a tag or sha256:…). A failed cell's repro.sh pins what it used.")
    void pin(List<String> specs) {
        try {
            pins = Pins.parse(specs);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** The versions --pin fixed; none by default. */
    public Pins pins() {
        return pins;
    }

    /** The --pin arguments again, for a rerun command: " --pin a=1 --pin b=2", or "". */
    public String pinArgs() {
        StringBuilder args = new StringBuilder();
        pins.versions().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> args.append(" --pin ").append(e.getKey()).append('=').append(e.getValue()));
        return args.toString();
    }

    /** How many rounds of the matrix to run. */
    public int repeat() {
        return repeat;
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public int jobs() {
        return jobs;
    }

    /** Channel ids in lower case, as users type them. */
    public static final class ChannelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.of(Channel.values()).map(Channel::id).iterator();
        }
    }
}
