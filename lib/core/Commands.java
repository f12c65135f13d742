package lib.core;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding the tools a run needs on PATH, the way a shell would. */
public final class Commands {
    private Commands() {}

    /** The first executable called name on PATH. */
    public static Optional<Path> which(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** Why command can't be used here, if it is not on PATH. */
    public static Optional<String> missing(String command) {
        return which(command).isPresent() ? Optional.empty() : Optional.of(command + " not found on PATH");
    }
}
