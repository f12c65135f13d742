package lib;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * One implementation under test. Adding a language means one class implementing
 * this (in lib/clients/) and one line in Clients.ALL.
 */
public interface Client {
    enum Role { PUBLISH, SUBSCRIBE }

    /** Where a client publishes to or subscribes from. */
    record Target(URI relay, String broadcast, Duration timeout) {}

    /**
     * How to run one side of a cell. A publisher with h264OnStdin reads the run's
     * H.264 Annex-B stream on stdin. stdoutIsData keeps stdout (binary media) out of
     * the log, which then holds stderr only.
     */
    record Launch(Proc.Spec spec, boolean h264OnStdin, FrameProbe.Factory probe, boolean stdoutIsData) {
        public static Launch publisher(Proc.Spec spec, boolean h264OnStdin) {
            return new Launch(spec, h264OnStdin, null, false);
        }

        public static Launch subscriber(Proc.Spec spec, FrameProbe.Factory probe, boolean stdoutIsData) {
            return new Launch(spec, false, probe, stdoutIsData);
        }
    }

    String name();

    Set<Role> roles();

    /** A quick look, without installing anything: can this client run here, and if not why. */
    Availability check();

    /** Installs or locates the client. Called once per run, before any cell. */
    Availability prepare(Workspace workspace);

    Launch publish(Target target);

    Launch subscribe(Target target);
}
