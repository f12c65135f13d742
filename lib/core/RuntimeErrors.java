package lib.core;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The first meaningful error a running side printed: what a failed cell gives
 * as its reason. A Rust panic gives its message, a Python traceback its final
 * exception line, node its "SyntaxError: ...", a moq client its ERROR or failing
 * WARN log line. Lines that only frame an error (a traceback's head, a bare
 * source position, a backtrace header) are passed over.
 */
public final class RuntimeErrors {
    private static final Pattern PANIC = Pattern.compile("^thread '[^']*' panicked at ([^\\s]+?):?$|^thread '[^']*' panicked at ([^\\s]+?): (.+)$");
    /** A tracing line: timestamp, level, module path (which has colons of its own), message. */
    private static final Pattern WARNED_FAILURE = Pattern.compile("(?i)\\b(fail\\w*|error|refused|denied|unauthori[sz]ed|mismatch|invalid|unsupported|timed out)\\b");
    private static final Pattern TRACING = Pattern.compile("^\\S*\\s*(ERROR|WARN)\\s+\\S+?:\\s+(.*)$");
    /** The toml crate's header; the cause follows a quoted snippet of the file. */
    private static final Pattern TOML_HEADER = Pattern.compile("(?i)^(?:error: )?toml parse error at (line \\d+, column \\d+)$");
    private static final Pattern SNIPPET = Pattern.compile("^\\s*(\\d+\\s*)?\\|.*$");
    /** Python's words between the tracebacks of a chained exception. */
    private static final Pattern CHAINED = Pattern.compile("^(During handling of the above exception|The above exception was the direct cause).*");
    private static final List<Pattern> MEANINGFUL = List.of(
            Pattern.compile("^(\\w+\\.)*\\w*(Error|Exception)(\\s*\\[\\w+\\])?: .+"),
            Pattern.compile("(?i)^(error|fatal|fatal error|panic)(\\[\\w+\\])?: .+"),
            Pattern.compile("(?i).*(error while loading shared libraries|GLIBC_\\d|cannot open shared object|not found \\(required by).*"),
            Pattern.compile("(?i).*(fingerprint mismatch|unsupported version|unknown field|unknown variant|no such file or directory|permission denied"
                    + "|connection refused|certificate|handshake|timed out|unauthorized|forbidden|does not provide an export named"
                    + "|is not a function|is not defined|cannot find module|module not found).*"));
    private static final Pattern ANYHOW_CAUSE_NUMBER = Pattern.compile("^\\d+: ");
    private static final Pattern FRAMING = Pattern.compile("(?i)^(traceback \\(most recent call last\\):|\\s*at .+|\\s*file \".*\", line \\d+.*"
            + "|stack backtrace:|note: run with `rust_backtrace=1`.*|\\S+:\\d+(:\\d+)?$|\\^+$|\\s*\\d+: .*|error: script \"\\w+\" exited with code.*"
            + "|.*subprocess-exited-with-error.*|go: (downloading|finding) .*)");

    private RuntimeErrors() {}

    /** The first meaningful error line in a side's log text, cleaned of colour codes and timestamps. */
    public static Optional<String> first(String text) {
        List<String> lines = InstallErrors.clean(text);
        for (int i = 0; i < lines.size(); i++) {
            // A loader's cause chain ("caused by: Error: ... GLIBC_2.38 not found") names the cause itself.
            String line = lines.get(i).strip().replaceFirst("(?i)^caused by:\\s*", "");
            var panic = PANIC.matcher(line);
            if (panic.matches()) {
                String at = panic.group(1) != null ? panic.group(1) : panic.group(2);
                String message = panic.group(3) != null ? panic.group(3) : i + 1 < lines.size() ? lines.get(i + 1).strip() : "";
                return Optional.of("panicked: " + message + " (at " + at + ")");
            }
            if (line.startsWith("Traceback (most recent call last)")) {
                Optional<String> exception = finalException(lines, i + 1);
                if (exception.isPresent()) return exception;
            }
            var toml = TOML_HEADER.matcher(line);
            if (toml.matches()) {
                Optional<String> cause = lines.subList(i + 1, lines.size()).stream().filter(l -> !SNIPPET.matcher(l).matches()).findFirst();
                if (cause.isPresent()) return Optional.of(cause.get().strip() + " (at " + toml.group(1) + ")");
            }
            if (FRAMING.matcher(line).matches()) continue;
            var tracing = TRACING.matcher(line);
            if (tracing.matches()) {
                // A WARN is a cause only when it reports a failure: moq clients warn routinely
                // (small UDP buffers, an insecure certificate fetch) on their way to working.
                if (tracing.group(1).equals("ERROR") || WARNED_FAILURE.matcher(tracing.group(2)).find()) {
                    return Optional.of(tracing.group(1) + " " + tracing.group(2).strip());
                }
                continue;
            }
            if (MEANINGFUL.stream().anyMatch(p -> p.matcher(line).matches())) return Optional.of(line + causes(lines, i + 1));
        }
        return Optional.empty();
    }

    /**
     * The chain under an anyhow error ("Error: x", then "Caused by:" and indented causes,
     * numbered when there are several), as anyhow's one-line form prints it: ": cause: cause".
     * The outer message alone ("failed to bind UDP socket") rarely says what went wrong.
     */
    private static String causes(List<String> lines, int from) {
        if (from >= lines.size() || !lines.get(from).strip().equals("Caused by:")) return "";
        // The causes are the lines indented under "Caused by:"; a tool that quotes the error
        // indented (pip's output block) indents what follows the chain as much as the header.
        int header = indent(lines.get(from));
        // anyhow numbers them from 0 only when there are several; a lone cause's own "403: " stays.
        boolean numbered = from + 1 < lines.size() && lines.get(from + 1).strip().startsWith("0: ");
        StringBuilder chain = new StringBuilder();
        for (int j = from + 1; j < lines.size() && indent(lines.get(j)) > header; j++) {
            String cause = lines.get(j).strip();
            chain.append(": ").append(numbered ? ANYHOW_CAUSE_NUMBER.matcher(cause).replaceFirst("") : cause);
        }
        return chain.toString();
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) i++;
        return i;
    }

    /**
     * The exception line that ends a traceback: its first unindented line, unless
     * Python goes on to a chained exception, whose own traceback ends the story.
     */
    private static Optional<String> finalException(List<String> lines, int from) {
        for (int j = from; j < lines.size(); j++) {
            String line = lines.get(j);
            if (line.startsWith(" ") || line.startsWith("\t") || line.startsWith("Traceback")) continue;
            if (j + 1 < lines.size() && CHAINED.matcher(lines.get(j + 1)).matches()) continue;
            if (CHAINED.matcher(line).matches()) continue;
            return Optional.of(line.strip());
        }
        return Optional.empty();
    }
}
