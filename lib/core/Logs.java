package lib.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Reading the end of a log for a failed cell's report. */
public final class Logs {
    private Logs() {}

    /** The last lines of a text log, secrets scrubbed; binary data is summarised, not shown. */
    public static List<String> tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) return List.of("(no such file)");
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (looksBinary(bytes)) return List.of("(" + bytes.length + " bytes of binary output)");
            Deque<String> last = new ArrayDeque<>();
            new String(bytes, StandardCharsets.UTF_8).lines().forEach(line -> {
                last.addLast(Secrets.redact(line));
                if (last.size() > lines) last.removeFirst();
            });
            return last.isEmpty() ? List.of("(empty)") : List.copyOf(last);
        } catch (IOException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }

    private static boolean looksBinary(byte[] bytes) {
        int sample = Math.min(bytes.length, 4096);
        for (int i = 0; i < sample; i++) if (bytes[i] == 0) return true;
        return false;
    }
}
