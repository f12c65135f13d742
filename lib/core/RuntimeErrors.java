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
    private static final Pattern TRACING = Pattern.compile("^\\S*\\s*(ERROR|WARN)\\s+\\S+?:\\s*(.*)$");
    private static final List<Pattern> MEANINGFUL = List.of(
            Pattern.compile("^(\\w+\\.)*\\w*(Error|Exception)(\\s*\\[\\w+\\])?: .+"),
            Pattern.compile("(?i)^(error|fatal|fatal error|panic)(\\[\\w+\\])?: .+"),
            Pattern.compile("(?i).*(error while loading shared libraries|GLIBC_\\d|cannot open shared object|not found \\(required by).*"),
            Pattern.compile("(?i).*(fingerprint mismatch|unsupported version|unknown field|unknown variant|no such file or directory|permission denied"
                    + "|connection refused|certificate|handshake|timed out|unauthorized|forbidden|does not provide an export named"
                    + "|is not a function|is not defined|cannot find module|module not found).*"));
    private static final Pattern FRAMING = Pattern.compile("(?i)^(traceback \\(most recent call last\\):|\\s*at .+|\\s*file \".*\", line \\d+.*"
            + "|stack backtrace:|note: run with `rust_backtrace=1`.*|\\S+:\\d+(:\\d+)?$|\\^+$|\\s*\\d+: .*|error: script \"\\w+\" exited with code.*)");

    private RuntimeErrors() {}

    /** The first meaningful error line in a side's log text, cleaned of colour codes and timestamps. */
    public static Optional<String> first(String text) {
        List<String> lines = InstallErrors.clean(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            var panic = PANIC.matcher(line);
            if (panic.matches()) {
                String at = panic.group(1) != null ? panic.group(1) : panic.group(2);
                String message = panic.group(3) != null ? panic.group(3) : i + 1 < lines.size() ? lines.get(i + 1).strip() : "";
                return Optional.of("panicked: " + message + " (at " + at + ")");
            }
            if (line.startsWith("Traceback (most recent call last)")) {
                for (int j = i + 1; j < lines.size(); j++) {
                    String candidate = lines.get(j).strip();
                    if (!lines.get(j).startsWith(" ") && !candidate.startsWith("Traceback") && !candidate.isEmpty()) return Optional.of(candidate);
                }
            }
            if (FRAMING.matcher(line).matches()) continue;
            var tracing = TRACING.matcher(line);
            if (tracing.matches()) return Optional.of(tracing.group(1) + " " + tracing.group(2).strip());
            if (MEANINGFUL.stream().anyMatch(p -> p.matcher(line).matches())) return Optional.of(line);
        }
        return Optional.empty();
    }
}
