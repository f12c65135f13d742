package lib.clients;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import lib.core.UsageError;

/**
 * A subscriber over a moq build published three ways, each its own thing under test
 * (--client-source): the latest GitHub release tarball, the crate built with cargo,
 * or a local build an environment variable names. libmoq's C clients and the
 * GStreamer plugin share the choice and its rules; they run on Linux and macOS.
 */
public abstract class ThreeSourceSubscriber implements Client {
    /** The environment variable naming a local build (a directory). */
    abstract String localVariable();

    @Override
    public Set<Role> roles() {
        return Set.of(Role.SUBSCRIBE);
    }

    @Override
    public Set<Platform> platforms() {
        return Set.of(Platform.LINUX, Platform.MACOS);
    }

    @Override
    public Set<PackageSource> packageSources() {
        return EnumSet.allOf(PackageSource.class);
    }

    /**
     * The asked-for source, else the run's default. Local without its variable, or with
     * one naming no directory, is bad input: a typo, not a broken build.
     *
     * @throws UsageError naming the variable
     */
    @Override
    public Optional<PackageSource> packageSource(ClientContext context) {
        Optional<Path> local = localDir(localVariable());
        PackageSource chosen = context.sources().of(name()).orElse(PackageSource.byDefault(local.isPresent(), context.channel()));
        if (chosen == PackageSource.LOCAL && local.isEmpty()) {
            throw new UsageError("--client-source " + name() + "=local needs " + localVariable() + " set to a local build");
        }
        if (chosen == PackageSource.LOCAL && !Files.isDirectory(local.get())) {
            throw new UsageError(localVariable() + "=" + local.get() + " is not a directory");
        }
        return Optional.of(chosen);
    }

    /** The directory variable names, if it is set. */
    static Optional<Path> localDir(String variable) {
        String dir = System.getenv(variable);
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }
}
