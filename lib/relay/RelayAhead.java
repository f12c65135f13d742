package lib.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

import lib.core.ArtifactFailure;
import lib.core.Workspace;
import lib.delivery.Tool;

/**
 * A relay started from the binary an earlier run installed, while this run checks that
 * it is still the newest release: with the cargo channel that check is a `cargo install`
 * that takes 0.1–0.2 s even when there is nothing to install, and the relay's own
 * start-up can happen meanwhile. Cells run on it only if the check ends with that very
 * file (same path, file key, size and modification time) as the tool to run; otherwise
 * it is stopped and its log removed, and the checked binary starts as if this one never
 * had. So the always-latest rule is unchanged: no cell ever talks to a relay the check
 * did not confirm.
 */
public final class RelayAhead {
    private final Path binary;
    private final Identity identity;
    private final Relay.Starting starting;
    private final Path log;

    private record Identity(Object fileKey, long size, long modified) {
        static Optional<Identity> of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return Optional.of(new Identity(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    private RelayAhead(Path binary, Identity identity, Relay.Starting starting, Path log) {
        this.binary = binary;
        this.identity = identity;
        this.starting = starting;
        this.log = log;
    }

    /**
     * Starts installed in the background, writing to log; empty (nothing started) when
     * there is no such binary yet, as on a first run.
     */
    public static Optional<RelayAhead> start(Optional<Path> installed, RelayConfig config, Workspace workspace, Path log) {
        if (installed.isEmpty() || !Files.isExecutable(installed.get())) return Optional.empty();
        Path binary = installed.get().toAbsolutePath().normalize();
        Optional<Identity> identity = Identity.of(binary);
        if (identity.isEmpty()) return Optional.empty();
        Tool tool = Tool.at(binary.getFileName().toString(), binary);
        return Optional.of(new RelayAhead(binary, identity.get(), Relay.startInBackground(tool, config, workspace, log), log));
    }

    /**
     * This relay, if checked is the binary it was started from, unchanged and ready to
     * use; otherwise this relay is discarded and the answer is empty.
     */
    public Optional<Relay.Starting> confirm(Tool checked) {
        if (checked.availability().ready() && sameBinary(checked.command()) && Identity.of(binary).equals(Optional.of(identity))) {
            return Optional.of(starting);
        }
        discard();
        return Optional.empty();
    }

    private boolean sameBinary(List<String> command) {
        return command.size() == 1 && Path.of(command.get(0)).toAbsolutePath().normalize().equals(binary);
    }

    /**
     * Stops this relay (waiting for its start to end first) and removes its log, so
     * the run is as if it had never been started.
     *
     * @throws ArtifactFailure if the log cannot be removed
     */
    public void discard() {
        starting.discard();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new ArtifactFailure(log, e);
        }
    }
}
