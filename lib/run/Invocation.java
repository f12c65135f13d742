package lib.run;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a user runs a script again from the directory a run started in: in a checkout
 * of this project, `./jbang smoke.java`; anywhere else (a run through the catalog
 * alias, which needs no clone), the alias itself, `jbang smoke@moq-dev/smoke`. Rerun
 * lines and each failed cell's repro.sh start with it, so they work where they are shown.
 */
public final class Invocation {
    /** The catalog this repository publishes its aliases in (jbang-catalog.json on its default branch). */
    static final String CATALOG = "moq-dev/smoke";

    private Invocation() {}

    /** The command that runs script ("smoke", "token") from dir. */
    public static String of(Path dir, String script) {
        boolean checkout = Files.isRegularFile(dir.resolve(script + ".java")) && Files.isExecutable(dir.resolve("jbang"));
        return checkout ? "./jbang " + script + ".java" : "jbang " + script + "@" + CATALOG;
    }
}
