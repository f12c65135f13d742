package lib.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import lib.core.Proc;
import lib.core.RuntimeErrors;
import lib.core.Secrets;

/**
 * One token CLI call at a time: run with the token on stdin (never in argv, where
 * process listings and logs would show it), logged with every secret scrubbed.
 */
final class TokenCalls {
    private static final Pattern JWT_LINE = Pattern.compile("(?m)^\\s*(eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*)\\s*$");

    private TokenCalls() {}

    static Proc.Result run(String label, Proc.Spec spec, String stdin, Duration timeout, Path log) {
        Proc.Result result = Proc.run(spec, stdin == null ? "" : stdin + "\n", timeout);
        append(log, "$ " + label + ": " + String.join(" ", spec.command()) + (stdin == null ? "" : " < token") + "\n"
                + Secrets.redact(result.output()).stripTrailing() + "\n"
                + (result.timedOut() ? "timed out after " + timeout.toSeconds() + "s" : "exit " + result.exitCode()) + "\n\n");
        return result;
    }

    /** The token a sign call printed; the tools may log other lines around it. */
    static Optional<String> jwt(String output) {
        Matcher m = JWT_LINE.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The first line worth quoting, scrubbed: a verdict's evidence. */
    static String firstLine(Proc.Result result) {
        if (result.timedOut()) return "no verdict (timed out)";
        String line = result.output().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("no output");
        return "exit " + result.exitCode() + ": " + Secrets.redact(line);
    }

    /**
     * What a failed call says went wrong, scrubbed: its first meaningful error
     * (a panic's message, an exception, an "Error: ..." line), else its first line.
     */
    static String firstError(Proc.Result result) {
        if (result.timedOut()) return "no verdict (timed out)";
        return RuntimeErrors.first(result.output()).map(e -> "exit " + result.exitCode() + ": " + Secrets.redact(e)).orElseGet(() -> firstLine(result));
    }

    /** @moq/token writes private keys world-readable (0644); the scratch dir's keys stay 0600. */
    static void restrict(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites every text file under dir with its secrets scrubbed (lib.core.Secrets),
     * for logs that children wrote straight to disk. Binary files are left alone.
     */
    static void redactLogs(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                if (binary(bytes)) continue;
                String text = new String(bytes, StandardCharsets.UTF_8);
                String scrubbed = Secrets.redact(text);
                if (!scrubbed.equals(text)) Files.writeString(file, scrubbed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean binary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 4096); i++) if (bytes[i] == 0) return true;
        return false;
    }

    static void append(Path log, String text) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
