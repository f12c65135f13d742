package lib.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a package tool's output for the line that states what went wrong, so a
 * red or unavailable cell names the cause instead of the last line printed
 * ("A complete log of this run can be found in ...") or the first line that
 * happens to contain "error". One extractor per tool, each tried on real-shaped
 * logs in the tests; and one classifier that tells "the registry could not be
 * reached" (unavailable) from everything else (broken).
 */
public final class InstallErrors {
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;?]*[ -/]*[@-~]");
    /** "docker: Error response from daemon: ..." or podman's "Error: ...": the part from "Error" on. */
    private static final Pattern DOCKER_ERROR = Pattern.compile("(?i)^(?:\\w+: )?(error(?: response from daemon)?:.*)$");
    /** Maven's resolver names the missing artifact deep inside its "[ERROR] Failed to execute goal ..." line. */
    private static final Pattern MAVEN_CAUSE = Pattern.compile("(?i)(could not (?:find|transfer) (?:artifact|metadata) .*?|non-resolvable .*?)(?:\\s*->\\s*\\[help \\d+\\])?$");
    /** The box-drawing and arrow marks uv and pip put before their lines. */
    private static final Pattern TREE_MARKS = Pattern.compile("^[\\s╰├│─▶>×]+");
    /** A C compiler's "path/file.c:12:10: fatal error: ...": the file's name is kept, its scratch directory dropped. */
    private static final Pattern CC_DIAGNOSTIC = Pattern.compile("^(?:.*/)?([^/\\s]+:\\d+(?::\\d+)?: (?:fatal )?error: .*)$");
    /** The linker's own complaint (GNU ld, lld, Apple ld), not collect2's summary that it failed. */
    private static final Pattern LINKER = Pattern.compile("(?i)^(?:.*?: )?((?:cannot find -l|undefined reference to|library not found for|undefined symbols for architecture).*)$");
    private static final int CMAKE_ERROR_CHARS = 300;
    /** Words npm puts between its prefix and the message: a category, not the error. */
    private static final Pattern NPM_PREFIX = Pattern.compile("(?i)^npm (?:error|err!)\\s*(?:(?:notarget|network)\\s+)?");

    /** The package tools the harness drives, each with its own error dialect. */
    public enum Tool {
        CARGO, NPM, PIP, UV, GO, MAVEN, GRADLE, APT, BREW, NIX, DOCKER, CC, CMAKE, GENERIC;

        /** The tool a command line starts with ("cargo install x" → CARGO). */
        public static Tool of(String command) {
            String name = command.toLowerCase(Locale.ROOT).replaceAll(".*/", "");
            return switch (name) {
                case "cargo" -> CARGO;
                case "npm", "npx", "bun" -> NPM;
                case "pip", "pip3", "python", "python3" -> PIP;
                case "uv" -> UV;
                case "go" -> GO;
                case "mvn", "jbang" -> MAVEN;
                case "gradle", "gradlew" -> GRADLE;
                case "apt", "apt-get", "apt-cache", "dpkg-query" -> APT;
                case "brew" -> BREW;
                case "nix" -> NIX;
                case "docker", "podman" -> DOCKER;
                case "cc", "gcc", "clang" -> CC;
                case "cmake" -> CMAKE;
                default -> GENERIC;
            };
        }
    }

    /** Lines every tool prints around an error that never name the cause. */
    private static final List<Pattern> GENERIC_LINES = List.of(
            Pattern.compile("(?i).*a complete log of this run can be found in.*"),
            Pattern.compile("(?i)^(npm (error|err!)\\s*)?(code|errno|syscall|path|command|cwd|signal)\\b.*"),
            Pattern.compile("(?i)^npm (error|err!)\\s*$"),
            Pattern.compile("(?i).*subprocess-exited-with-error.*"),
            Pattern.compile("(?i).*did not run successfully\\..*"),
            Pattern.compile("(?i)^(╰─▶|×|\\|)?\\s*exit code: \\d+.*"),
            Pattern.compile("(?i)^note: this error originates from a subprocess.*"),
            Pattern.compile("(?i)^go: downloading .*"),
            Pattern.compile("(?i)^go: finding .*"),
            Pattern.compile("^# \\S+$"),
            Pattern.compile("(?i)^error: could not compile .*"),
            Pattern.compile("(?i)^error: failed to compile .*"),
            Pattern.compile("(?i)^warning: build failed, waiting for other jobs to finish.*"),
            Pattern.compile("(?i)^\\[error\\]\\s*(-> \\[help 1\\]|to see the full stack trace.*|re-run maven.*|for more information about.*|\\s*)$"),
            Pattern.compile("(?i)^\\s*(downloaded|downloading|compiling|updating|locking|adding|fetching)\\b.*"),
            Pattern.compile("(?i)^\\s*-->\\s+\\S+:\\d+:\\d+\\s*$"),
            Pattern.compile("(?i)^\\s*stack backtrace:.*"),
            Pattern.compile("(?i)^note: run with `rust_backtrace=1`.*"));

    private InstallErrors() {}

    /**
     * The first line of output that states the cause of a failed install or
     * build by tool, cleaned of colour codes and the tool's prefix; empty when
     * there is none (then callers give the exit code).
     */
    public static Optional<String> firstError(Tool tool, String output) {
        List<String> lines = clean(output);
        Optional<String> specific = switch (tool) {
            case CARGO -> first(lines, l -> l.matches("^error\\[E\\d+\\].*")).map(l -> withNextDetail(lines, l))
                    .or(() -> first(lines, l -> l.startsWith("error:") || l.startsWith("error[")));
            case NPM -> first(lines, l -> l.matches("(?i)^npm (error|err!) .*") && !isGeneric(stripPrefix(l)))
                    .or(() -> first(lines, l -> l.matches("(?i)^(error|\\w*error):.*")));
            case PIP -> first(lines, l -> l.startsWith("ERROR:"))
                    .or(() -> subprocessOutput(lines))
                    .or(() -> pythonException(lines));
            case UV -> first(lines, l -> l.matches("^\\s*(╰─▶\\s*)?Because .*"))
                    .or(() -> first(lines, l -> l.matches("(?i)^\\s*(error|×):? .*") && !l.matches("(?i)^\\s*×\\s*No solution found.*")))
                    .or(() -> first(lines, l -> l.matches("(?i)^\\s*×.*")));
            case GO -> first(lines, l -> l.matches(".*fatal error: .*"))
                    .or(() -> first(lines, l -> l.matches("^go: .*") || l.matches("^\\S+\\.go:\\d+:\\d+: .*")));
            case MAVEN -> mavenCause(lines);
            case GRADLE -> gradleCause(lines).or(() -> mavenCause(lines));
            case APT -> first(lines, l -> l.startsWith("E: "));
            case BREW -> first(lines, l -> l.startsWith("Error:"));
            case NIX -> nixError(lines);
            case DOCKER -> lines.stream().filter(l -> !isGeneric(l)).map(DOCKER_ERROR::matcher).filter(Matcher::matches)
                    .map(m -> m.group(1)).findFirst();
            case CC -> compilerError(lines);
            case CMAKE -> cmakeError(lines).or(() -> compilerError(lines))
                    .or(() -> first(lines, l -> l.matches("^(g?make|ninja)(\\[\\d+\\])?: \\*\\*\\* .*") && !l.contains("Error ")));
            case GENERIC -> Optional.empty();
        };
        return specific.map(InstallErrors::stripPrefix)
                .or(() -> first(lines, l -> l.toLowerCase(Locale.ROOT).contains("error")))
                .or(() -> lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1)))
                .map(String::strip);
    }

    /**
     * Whether output says the registry, CDN or toolchain could not be reached (or
     * refused this machine access), as opposed to answering that something is wrong.
     */
    public static boolean unreachable(String output) {
        String text = output.toLowerCase(Locale.ROOT);
        return text.matches("(?s).*(could not resolve host|couldn't resolve host|temporary failure in name resolution|temporary failure resolving"
                + "|failed to lookup address|name or service not known"
                + "|no such host|network is unreachable|connection refused|connection reset|connection timed out|operation timed out"
                + "|failed to establish a new connection|max retries exceeded|tls handshake"
                + "|\\b(eai_again|enotfound|etimedout|econnrefused|econnreset|enetunreach)\\b"
                + "|dial tcp|spurious network error|failed to download from|error sending request"
                + "|403 forbidden|status code 403|http 403|\\b403\\b.*not available).*");
    }

    /**
     * Whether the registry answered that the package or version does not exist:
     * a publishing break (red), never "unavailable". An HTTP answer (404, 410, an
     * unknown manifest) counts whatever else the output says; a tool's own
     * conclusion ("no matching distribution", "unable to locate package") counts
     * only when the registry was reached: offline, pip and apt call every package
     * missing, and that "missing" is the network's doing.
     */
    public static boolean notFound(String output) {
        String text = output.toLowerCase(Locale.ROOT);
        boolean answered = text.matches("(?s).*(e404|404 not found|is not in this registry|410 gone|manifest unknown).*");
        return answered || !unreachable(output) && text.matches("(?s).*(no matching package named|no matching version found"
                + "|could not find `[^`]+` in registry|could not find a version that satisfies|no matching distribution found"
                + "|no solution found when resolving|unknown revision|could not find artifact|could not find metadata"
                + "|could not find [\\w.-]+:[\\w.-]+|unable to locate package|no available formula|no formulae or casks found"
                + "|repository does not exist|does not provide attribute).*");
    }

    /**
     * What pip quotes between "╰─> [N lines of output]" and "[end of output]": the
     * build backend's own words, the cause behind "subprocess-exited-with-error".
     */
    private static Optional<String> subprocessOutput(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).matches(".*\\[\\d+ lines? of output\\]\\s*$")) continue;
            List<String> block = new ArrayList<>();
            for (int j = i + 1; j < lines.size() && !lines.get(j).strip().equals("[end of output]"); j++) block.add(lines.get(j));
            Optional<String> cause = RuntimeErrors.first(String.join("\n", block))
                    .or(() -> block.stream().map(String::strip).filter(l -> !isGeneric(l)).findFirst());
            if (cause.isPresent()) return cause;
        }
        return Optional.empty();
    }

    /** The compiler's first error, else the linker's first complaint. */
    private static Optional<String> compilerError(List<String> lines) {
        return lines.stream().map(CC_DIAGNOSTIC::matcher).filter(Matcher::matches).map(m -> m.group(1)).findFirst()
                .or(() -> lines.stream().map(LINKER::matcher).filter(Matcher::matches).map(m -> m.group(1)).findFirst());
    }

    /**
     * CMake's first "CMake Error ..." with the indented lines that belong to it,
     * joined into one, up to its boilerplate ("Possible reasons include", the call
     * stack), and cut at a word after CMAKE_ERROR_CHARS (its advice runs on).
     */
    private static Optional<String> cmakeError(List<String> lines) {
        Optional<String> head = first(lines, l -> l.startsWith("CMake Error"));
        if (head.isEmpty()) return Optional.empty();
        StringBuilder error = new StringBuilder(head.get().strip());
        for (String line : lines.subList(lines.indexOf(head.get()) + 1, lines.size())) {
            if (!line.startsWith(" ") || line.strip().startsWith("Call Stack")) break;
            String text = line.strip();
            int boilerplate = text.indexOf("Possible reasons include");
            if (boilerplate >= 0) {
                error.append(' ').append(text, 0, boilerplate);
                break;
            }
            error.append(' ').append(text);
        }
        String joined = error.toString().replaceAll("\\s+", " ").strip();
        if (joined.length() <= CMAKE_ERROR_CHARS) return Optional.of(joined);
        int cut = joined.lastIndexOf(' ', CMAKE_ERROR_CHARS);
        return Optional.of(joined.substring(0, cut > 0 ? cut : CMAKE_ERROR_CHARS) + " …");
    }

    private static Optional<String> mavenCause(List<String> lines) {
        return lines.stream().map(MAVEN_CAUSE::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                .or(() -> first(lines, l -> l.matches("(?i)^(\\[jbang\\] )?\\[error\\].*")).map(l -> l.replaceFirst("(?i)^(\\[jbang\\] )?\\[error\\]\\s*", "")));
    }

    /** Gradle nests causes as "> ..." lines under "* What went wrong:"; the innermost is the real one. */
    private static Optional<String> gradleCause(List<String> lines) {
        int at = lines.indexOf("* What went wrong:");
        if (at < 0) return Optional.empty();
        String cause = null;
        for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("* "); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith(">")) cause = line;
            else if (cause == null) cause = line;
        }
        return Optional.ofNullable(cause);
    }

    /**
     * Nix prints "error:" alone, then "… while ..." context lines, then the
     * innermost "error: ..." that says what went wrong.
     */
    private static Optional<String> nixError(List<String> lines) {
        Optional<String> head = first(lines, l -> l.startsWith("error:"));
        if (head.isEmpty() || !head.get().strip().equals("error:")) return head.map(l -> withNextDetail(lines, l));
        return lines.subList(lines.indexOf(head.get()) + 1, lines.size()).stream().map(String::strip)
                .filter(l -> l.startsWith("error:") && !l.equals("error:")).findFirst().or(() -> head);
    }

    private static Optional<String> pythonException(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.matches("^[A-Za-z_.]*(Error|Exception)\\b.*")) return Optional.of(line);
        }
        return Optional.empty();
    }

    /** "error: x" followed by an indented "caused by"/detail line: keep both, they belong together. */
    private static String withNextDetail(List<String> lines, String line) {
        int at = lines.indexOf(line);
        if (at >= 0 && at + 1 < lines.size()) {
            String next = lines.get(at + 1).strip();
            if (next.startsWith("Caused by:") && at + 2 < lines.size()) next = lines.get(at + 2).strip();
            if (!next.isEmpty() && !next.startsWith("-->") && !next.startsWith("|") && !next.startsWith("error")
                    && (line.endsWith(":") || next.startsWith("…") || lines.get(at + 1).startsWith(" "))) {
                return line + " " + next;
            }
        }
        return line;
    }

    private static Optional<String> first(List<String> lines, Predicate<String> wanted) {
        return lines.stream().filter(l -> !isGeneric(l)).filter(wanted).findFirst();
    }

    static boolean isGeneric(String line) {
        String stripped = line.strip();
        return stripped.isEmpty() || GENERIC_LINES.stream().anyMatch(p -> p.matcher(stripped).matches());
    }

    static List<String> clean(String output) {
        return ANSI.matcher(output == null ? "" : output).replaceAll("").lines().map(String::stripTrailing).filter(l -> !l.isBlank()).toList();
    }

    private static String stripPrefix(String line) {
        Matcher npm = NPM_PREFIX.matcher(line);
        if (npm.lookingAt()) return line.substring(npm.end());
        return TREE_MARKS.matcher(line.replaceFirst("^\\[jbang\\] ", "")).replaceFirst("");
    }
}
