package lib.clients;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import lib.core.Artifact;
import lib.core.Availability;
import lib.media.Side;
import lib.media.Transport;

/**
 * One implementation under test, registered by being a class in lib/clients
 * whose name ends in "Client" (with a public no-argument constructor) plus its
 * program under clients/<name>/. Everything the harness needs to know about it
 * is declared here, in one place: its name, roles, platforms, the packages it
 * takes from which registry, how to check and install it, how to start a side.
 */
public interface Client {
    enum Role { PUBLISH, SUBSCRIBE }

    /** Where a side publishes to or subscribes from, and the transport the run demands. */
    record Target(URI relay, String broadcast, Duration timeout, Transport transport) {}

    /**
     * Where a side keeps its files: label names it in logs, dir is its own folder in
     * the artifacts, h264 opens the run's H.264 Annex-B stream for a stdin publisher.
     */
    record SideIO(String label, Path dir, Supplier<java.io.InputStream> h264) {}

    /** The name users type, e.g. "python". */
    String name();

    /** Where it sits in the matrix: lower first. */
    int order();

    Set<Role> roles();

    /** What is under test and where it comes from, for --list and the README, e.g. "PyPI moq-rs". */
    String source();

    /** What it takes and from where in this run (--list): source() unless the client has a choice of sources. */
    default String source(ClientContext context) {
        return source();
    }

    /** The forms its package is published in, when it has a choice (--client-source); empty when it has one. */
    default Set<PackageSource> packageSources() {
        return Set.of();
    }

    /**
     * Which of packageSources() this run takes; empty for a client with one source.
     * A choice that cannot be honoured (local without its directory) is a UsageError.
     */
    default Optional<PackageSource> packageSource(ClientContext context) {
        return Optional.empty();
    }

    /**
     * Refuses, before the run begins, a setting of the user's for this client that names
     * nothing usable (a binary that is not there): a typo to fix, not a red cell.
     *
     * @throws lib.core.UsageError naming the setting
     */
    default void checkSettings() {}

    /** The platforms it runs on; elsewhere its cells are unsupported, not failed. */
    default Set<Platform> platforms() {
        return EnumSet.allOf(Platform.class);
    }

    /** A quick look, installing nothing: can this client run here, and if not why. */
    Availability check(ClientContext context);

    /**
     * Installs it from its registry into the run's scratch or cache, once per run.
     * An unreachable registry or toolchain gives an unavailable Installed, a package
     * that fails to install or launch a broken one; never an exception for either.
     */
    Installed install(ClientContext context);

    /** A client as installed for one run: everything publish and subscribe need, fixed at install. */
    interface Installed extends AutoCloseable {
        Availability availability();

        /** Every artifact under test and the version that was installed, e.g. "moq-rs" → "0.5.1". */
        Map<String, String> versions();

        /**
         * What was fetched for each artifact under test: version, file and digest
         * (provenance). By default each version with its digest unknown, for a client
         * whose installer cannot tell.
         */
        default List<Artifact> artifacts() {
            return versions().entrySet().stream().map(e -> Artifact.unknown(e.getKey(), e.getValue(), Artifact.Source.LOCAL, "",
                    "this client's installer records no digest")).toList();
        }

        /** Where the package came from, for a client with a choice of sources; recorded in each of its cells. */
        default Optional<PackageSource> source() {
            return Optional.empty();
        }

        /** The install logs this client's install wrote or shared, for a cell it could not run; none by default. */
        default List<java.nio.file.Path> installLogs() {
            return List.of();
        }

        /** Things worth a look that don't fail a cell (duplicated packages in a bundle, say). */
        default List<String> warnings() {
            return List.of();
        }

        /** Why this client cannot use transport, if it can't be made to (a cell that can't be forced says so). */
        default Optional<String> cannotUse(Transport transport) {
            return Optional.empty();
        }

        Side publish(Target target, SideIO io);

        Side subscribe(Target target, SideIO io);

        @Override
        default void close() {}
    }

    /** An Installed that cannot run: its cells are unavailable, unsupported or failed, with the reason. */
    static Installed notInstalled(Availability why) {
        return notInstalled(why, null, List.of());
    }

    /**
     * An Installed that cannot run, from source (null when the client has no choice of
     * sources), with what it fetched before it failed (provenance).
     */
    static Installed notInstalled(Availability why, PackageSource source, List<Artifact> fetched) {
        return new NotInstalled(why, source, fetched, Map.of(), List.of(), List.of());
    }

    /**
     * An Installed that cannot run, as its install left it: the reason, the package source
     * (null when the client has no choice of sources), what it fetched (provenance), the
     * versions and warnings it found (go's fallback module path hints at why its build broke)
     * and the install logs that say why.
     */
    record NotInstalled(Availability availability, PackageSource from, List<Artifact> artifacts, Map<String, String> versions,
            List<String> warnings, List<java.nio.file.Path> installLogs) implements Installed {
        public NotInstalled {
            artifacts = List.copyOf(artifacts);
            versions = Map.copyOf(versions);
            warnings = List.copyOf(warnings);
            installLogs = List.copyOf(installLogs);
        }

        /** install, which did not get ready, with the install logs it wrote or shared. */
        static NotInstalled of(Installed install, List<java.nio.file.Path> logs) {
            return new NotInstalled(install.availability(), install.source().orElse(null), install.artifacts(), install.versions(), install.warnings(), logs);
        }

        public Optional<PackageSource> source() {
            return Optional.ofNullable(from);
        }

        public Side publish(Target target, SideIO io) {
            throw new IllegalStateException("not installed: " + availability);
        }

        public Side subscribe(Target target, SideIO io) {
            throw new IllegalStateException("not installed: " + availability);
        }
    }
}
