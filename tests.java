///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES smoke.java token.java test/*.java
//DEPS org.junit.jupiter:junit-jupiter:6.1.3
//DEPS org.junit.platform:junit-platform-launcher:6.1.3
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
// Compiled as smoke.java and token.java compile themselves, so the fake runs start as theirs do.
//JAVAC_OPTIONS -XDstringConcat=inline
//DESCRIPTION The project's tests, in three tiers. Run from the repository root. Ends with "N passed, N failed".
//DESCRIPTION   --unit     lib/ and the scripts against fake relays, clients and package tools: no network
//DESCRIPTION   --offline  the unit tests plus those tagged "toolchain", which build a client with a real local
//DESCRIPTION              toolchain (JBang for kotlin, go against a file GOPROXY, Debian's Chromium): no network
//DESCRIPTION   (neither)  everything: the offline tests, then the live runs of the published packages (tagged "live")
//DESCRIPTION An optional class-name regex selects a subset. Test classes run in parallel; a test that touches
//DESCRIPTION process-wide state (System.out, every child of this JVM) is marked @Isolated.

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.launcher.TagFilter.excludeTags;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import lib.core.Cli;
import lib.core.HelpOption;
import lib.core.UsageError;

@Command(name = "tests", sortOptions = false,
        description = "The project's tests, in three tiers (neither flag: every test, the live runs of the published packages too). "
                + "Run from the repository root. Ends with \"N passed, N failed\".",
        footer = {"", "Exit codes: 0 every test passed, 1 a test failed, 2 bad input (a regex that selects no test, too)."})
public class tests implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = "--unit", description = "lib/ and the scripts against fake relays, clients and package tools: no network.")
    boolean unit;

    @Option(names = "--offline", description = "The unit tests plus those tagged \"toolchain\", which build a client with a real local "
            + "toolchain (JBang for kotlin, go against a file GOPROXY, Debian's Chromium): no network.")
    boolean offline;

    @Parameters(arity = "0..1", paramLabel = "CLASS_REGEX", defaultValue = ".*Test",
            description = "Test classes to run: a regex over the whole class name, e.g. 'Relay.*' (default: every class).")
    String pattern;

    public static void main(String... args) {
        System.exit(Cli.execute(new tests(), args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            java.util.regex.Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new UsageError("'" + pattern + "' is not a regex: " + e.getDescription());
        }
        // The whole suite's fake runs share a class-data archive that takes a training run and a
        // dump (about 4 s on 2 cores): begun now, it overlaps discovery instead of holding up the
        // first classes, which are the ones with the most fake runs. Joined before the exit, so
        // its children never outlive the suite.
        Thread archive = new Thread(() -> Fakes.ChildJvm.FLAGS.size(), "fake-runs-archive");
        if (pattern.equals(".*Test")) archive.start();
        Launcher launcher = LauncherFactory.create();
        // The @Isolated classes first, one at a time, while that archive is made (JUnit would run
        // them last, on one busy core while the other idles); then every other class at once.
        List<TestExecutionSummary> results = new java.util.ArrayList<>();
        for (boolean isolated : List.of(true, false)) {
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            launcher.execute(request(pattern, unit, offline, isolated), summary, new Progress());
            results.add(summary.getSummary());
        }
        for (TestExecutionSummary result : results) {
            for (TestExecutionSummary.Failure failure : result.getFailures()) {
                System.out.println("\nFAILED " + failure.getTestIdentifier().getDisplayName() + ":");
                failure.getException().printStackTrace(System.out);
            }
        }
        archive.join();
        long passed = results.stream().mapToLong(TestExecutionSummary::getTestsSucceededCount).sum();
        long failed = results.stream().mapToLong(TestExecutionSummary::getTotalFailureCount).sum();
        long skipped = results.stream().mapToLong(TestExecutionSummary::getTestsSkippedCount).sum();
        long found = results.stream().mapToLong(TestExecutionSummary::getTestsFoundCount).sum();
        if (found == 0) {
            throw new UsageError("no test matches '" + pattern + "'"
                    + (unit ? " in --unit, which leaves out the live and toolchain tests" : offline ? " in --offline, which leaves out the live tests" : "")
                    + "; the regex must match the whole class name (e.g. '" + pattern + ".*')");
        }
        System.out.println();
        System.out.println(passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : ""));
        return failed > 0 ? 1 : 0;
    }

    /** The tests of one tier and pattern: the @Isolated classes among them, or all the others. */
    private static LauncherDiscoveryRequest request(String pattern, boolean unit, boolean offline, boolean isolated) throws Exception {
        Path built = Path.of(tests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(built)))
                .filters(includeClassNamePatterns(pattern), isolatedOrNot(isolated))
                // Most tests wait on child processes (a fake run's JVM, a timeout a negative
                // case must sit out), so more of them than cores run at once.
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                // Classes marked @Order start first: those whose fake runs take longest, so that they
                // do not end the suite on one busy core.
                .configurationParameter("junit.jupiter.testclass.order.default", "org.junit.jupiter.api.ClassOrderer$OrderAnnotation")
                // Named so JUnit does not ask, on every run, to try its newer executor; this one is what the suite was checked with.
                .configurationParameter("junit.jupiter.execution.parallel.config.executor-service", "FORK_JOIN_POOL");
        // Live tests install the published packages and need the registries; toolchain tests
        // build a client with a real local toolchain, which takes longer than the rest together.
        if (unit) builder.filters(excludeTags("live", "toolchain"));
        else if (offline) builder.filters(excludeTags("live"));
        return builder.build();
    }

    /** Keeps the tests of classes that are (or are not) @Isolated; the engine's own root stays either way. */
    private static PostDiscoveryFilter isolatedOrNot(boolean isolated) {
        return descriptor -> {
            for (Optional<TestDescriptor> at = Optional.of(descriptor); at.isPresent(); at = at.get().getParent()) {
                if (at.get().getSource().orElse(null) instanceof ClassSource source) {
                    return source.getJavaClass().isAnnotationPresent(Isolated.class) == isolated
                            ? FilterResult.included(isolated ? "isolated" : "concurrent")
                            : FilterResult.excluded(isolated ? "runs with the others" : "runs alone, first");
                }
            }
            return FilterResult.included("no class of its own");
        };
    }

    /** One line per test as it finishes, so a slow live test shows where the run is. */
    static final class Progress implements TestExecutionListener {
        private final java.util.Map<TestIdentifier, Long> started = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void executionStarted(TestIdentifier test) {
            started.put(test, System.nanoTime());
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (!test.isTest()) return;
            double seconds = (System.nanoTime() - started.getOrDefault(test, System.nanoTime())) / 1e9;
            String owner = test.getSource().map(Object::toString).map(s -> s.replaceAll(".*className = '([^']*)'.*", "$1")).orElse("");
            System.out.printf("%-4s %s.%s (%.1fs)%n", result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "ok" : "FAIL",
                    owner, test.getDisplayName(), seconds);
        }
    }
}
