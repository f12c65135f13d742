///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/freshness/Freshness.java lib/core/Cli.java lib/core/UsageError.java lib/core/ArtifactFailure.java lib/core/HelpOption.java
// A run this short never repays the optimising JIT; without it the JVM starts and finishes sooner.
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1
// String concatenation compiled to StringBuilder calls, as the JDK compiles its own base
// module: the default (invokedynamic) spins method-handle classes at each new shape's first
// use, tens of milliseconds of start-up that no class-data archive holds (bench/ measures it).
//JAVAC_OPTIONS -XDstringConcat=inline
//DESCRIPTION Enforces the "always latest, no lock files" policy on the files git tracks: no package
//DESCRIPTION lock file, every moq package requested at latest, and playwright-java's //DEPS pin equal
//DESCRIPTION to the PLAYWRIGHT_VERSION flake.nix exports for its Chromium.

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import lib.core.Cli;
import lib.core.HelpOption;
import lib.freshness.Freshness;

@Command(name = "freshness",
        description = "Fails, naming each offence and where it is, when a package lock file is committed, a moq package "
                + "is requested at anything but latest, or playwright-java's pin differs from the flake's PLAYWRIGHT_VERSION.",
        footer = {"", "Exit codes: 0 the policy holds, 1 an offence, 2 bad input (not a git checkout)."})
public class freshness implements Callable<Integer> {
    @Mixin HelpOption help;
    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".", description = "A directory in the checkout to check (default: ${DEFAULT-VALUE}).")
    Path repo;

    public static void main(String... args) {
        System.exit(Cli.execute(new freshness(), args));
    }

    @Override
    public Integer call() {
        Freshness.Report report = Freshness.check(repo);
        report.notes().forEach(note -> System.out.println("freshness: note: " + note));
        if (report.ok()) {
            System.out.printf("freshness: ok, %d tracked files: no lock files, every moq package requested at latest (%d ms)%n",
                    report.files(), report.took().toMillis());
            return 0;
        }
        System.err.println("freshness: " + report.offences().size() + " offence(s) against the always-latest policy:");
        report.offences().forEach(offence -> System.err.println("  " + offence));
        return 1;
    }
}
