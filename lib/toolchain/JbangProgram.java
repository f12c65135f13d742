package lib.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.InstallErrors;
import lib.core.Pins;
import lib.core.Proc;
import lib.core.Provenance;
import lib.core.Secrets;
import lib.core.Workspace;

/**
 * A small JVM program run by JBang whose //DEPS take the artifact under test at
 * RELEASE from a Maven repository (Maven Central unless a test lays out its own),
 * as a JBang user would. JBang comes from the project's ./jbang wrapper: the jbang on
 * PATH, else JBang's release jar fetched with mvn. Its local repository and cache live
 * under the run cache; each build re-resolves (--fresh), so RELEASE is today's.
 */
public record JbangProgram(List<String> command, Map<String, String> env, Map<String, String> versions, Availability availability,
        List<Artifact> provenance) {
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern RESOLUTION = Pattern.compile(
            "(?is).*(could not find metadata|could not read artifact descriptor|could not resolve|could not transfer|could not find artifact).*");
    private static final Pattern JAVAC_ERROR = Pattern.compile("(?m)^\\S+\\.java:\\d+: error: .*$");

    /** Why JBang can't be run here, if it can't: the wrapper needs bash, and jbang or else java and mvn. */
    public static Optional<String> unreachableReason() {
        Optional<String> bash = Commands.missing("bash");
        if (bash.isPresent() || Commands.which("jbang").isPresent()) return bash;
        return Commands.missing("java").or(() -> Commands.missing("mvn")).map(m -> "neither jbang nor java and mvn on PATH (" + m + ")");
    }

    /**
     * Builds script with the wrapper launcher, resolving from repository. artifact
     * ("group:artifact") is the dependency under test: every resolved artifact of its
     * group is in the versions, and it must be the newest the repository lists.
     */
    public static JbangProgram build(Path launcher, Path script, URI repository, String artifact, Workspace workspace, String logName) {
        Optional<String> missing = unreachableReason();
        if (missing.isPresent()) return failed(Availability.unavailable(missing.get()));
        Map<String, String> env = Map.of(
                "JBANG_REPO", workspace.cacheDir("jbang/repository").toString(),
                "JBANG_DIR", workspace.cacheDir("jbang/home").toString(),
                "JBANG_NO_VERSION_CHECK", "true");
        List<String> jbang = List.of("bash", launcher.toString());
        pin(script, workspace.pins());
        String repos = "central=" + repository;
        Path log = workspace.provisionLog(logName + ".log");

        // --verbose: only then does JBang print the resolver's "Caused by" chain.
        Proc.Result built = step(jbang, List.of("--verbose", "build", "--fresh", "--repos", repos, script.toString()), env, script, log, BUILD_TIMEOUT);
        if (!built.ok()) return failed(buildFailure(built, repository, artifact));

        Proc.Result classpath = step(jbang, List.of("info", "classpath", "--offline", "--repos", repos, script.toString()), env, script, log, QUERY_TIMEOUT);
        Map<String, String> versions = versions(classpath.stdout(), artifact.split(":")[0]);
        if (!classpath.ok() || !versions.containsKey(artifact)) {
            return new JbangProgram(List.of(), env, versions, Availability.broken("jbang resolved no " + artifact + ": " + last(classpath)), List.of());
        }
        Path local = Path.of(env.get("JBANG_REPO"));
        List<Artifact> fetched = versions.entrySet().stream().map(e -> Provenance.mavenJar(local, e.getKey(), e.getValue())).toList();
        Optional<String> older = Latest.check(workspace.pins(), "jbang", artifact, versions.get(artifact), () -> MavenArtifact.ask(repository, artifact).newest());
        if (older.isPresent()) return new JbangProgram(List.of(), env, versions, Availability.broken(older.get()), fetched);

        List<String> run = new ArrayList<>(jbang);
        // Offline: every run of the program uses what this build resolved.
        run.addAll(List.of("run", "--offline", "--repos", repos, script.toString()));
        return new JbangProgram(run, env, versions, Availability.ready(artifact + " " + versions.get(artifact)), fetched);
    }

    private static JbangProgram failed(Availability why) {
        return new JbangProgram(List.of(), Map.of(), Map.of(), why, List.of());
    }

    /** Rewrites the script's //DEPS group:artifact:RELEASE lines to the versions --pin names. */
    public static void pin(Path script, Pins pins) {
        if (pins.versions().isEmpty()) return;
        try {
            String source = Files.readString(script);
            String pinned = source;
            for (Map.Entry<String, String> pin : pins.versions().entrySet()) {
                pinned = pinned.replace("//DEPS " + pin.getKey() + ":RELEASE", "//DEPS " + pin.getKey() + ":" + pin.getValue());
            }
            if (!pinned.equals(source)) Files.writeString(script, pinned);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A failed resolution is judged by what the repository itself says: Maven's message
     * is the same for "no such artifact" and "never reached". A 404 from a repository
     * that answers is the registry saying the artifact does not exist: red, even where
     * (as on this project's machines) a filtering mirror stands in for Maven Central,
     * since the harness cannot tell a mirror's 404 from Central's.
     */
    static Availability buildFailure(Proc.Result built, URI repository, String artifact) {
        String output = built.output();
        if (built.timedOut()) return Availability.broken("jbang build timed out after " + BUILD_TIMEOUT.toMinutes() + " min");
        String error = rootCause(output);
        if (RESOLUTION.matcher(output).matches()) {
            MavenArtifact.Answer answer = MavenArtifact.ask(repository, artifact);
            String why = "jbang could not resolve " + artifact + ": " + error + " (" + answer.detail() + ")";
            return answer.kind() == MavenArtifact.Answer.Kind.UNANSWERED ? Availability.unavailable(why) : Availability.broken(why);
        }
        String why = "jbang build failed: " + error;
        return InstallErrors.unreachable(output) ? Availability.unavailable(why) : Availability.broken(why);
    }

    /** javac's first error, else the innermost "Caused by" the resolver gave, else the tool's first error line. */
    static String rootCause(String output) {
        Matcher javac = JAVAC_ERROR.matcher(output);
        if (javac.find()) return javac.group().strip();
        List<String> causes = output.lines().filter(l -> l.startsWith("Caused by: ")).toList();
        if (!causes.isEmpty()) return causes.get(causes.size() - 1).replaceFirst("^Caused by: [\\w.$]+: ", "");
        return InstallErrors.firstError(InstallErrors.Tool.MAVEN, output).orElse("no output");
    }

    /** Every jar of group on a classpath line, as "group:artifact" → version, from the local repository's layout. */
    static Map<String, String> versions(String classpath, String group) {
        Map<String, String> versions = new LinkedHashMap<>();
        Matcher jar = Pattern.compile("/" + Pattern.quote(group.replace('.', '/')) + "/([^/]+)/([^/]+)/\\1-\\2[^/" + java.io.File.pathSeparator + "]*\\.jar")
                .matcher(classpath);
        while (jar.find()) versions.putIfAbsent(group + ":" + jar.group(1), jar.group(2));
        return versions;
    }

    private static String last(Proc.Result result) {
        return result.output().isBlank() ? "exit code " + result.exitCode() : result.lastLine();
    }

    private static Proc.Result step(List<String> jbang, List<String> args, Map<String, String> env, Path script, Path log, Duration timeout) {
        List<String> command = new ArrayList<>(jbang);
        command.addAll(args);
        Proc.Result result = Proc.run(new Proc.Spec(command, env, script.getParent()), timeout);
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + "\n" + Secrets.redact(result.output()) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
