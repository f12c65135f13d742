package lib.media;

import java.util.Map;

import lib.core.Proc;

/**
 * How to run one side of a cell as a child process. A publisher with h264OnStdin
 * reads the run's H.264 Annex-B stream on stdin. A subscriber's probe judges its
 * output: with stdoutIsData its stdout is media (kept out of the log, which then
 * holds stderr only), otherwise both streams are text. transport reads which
 * transport the side used from what it printed.
 */
public record Launch(Proc.Spec spec, boolean h264OnStdin, FrameProbe.Factory probe, boolean stdoutIsData, Transport.Reader transport) {
    public static Launch publisher(Proc.Spec spec, boolean h264OnStdin, Transport.Reader transport) {
        return new Launch(spec, h264OnStdin, null, false, transport);
    }

    public static Launch subscriber(Proc.Spec spec, FrameProbe.Factory probe, boolean stdoutIsData, Transport.Reader transport) {
        return new Launch(spec, false, probe, stdoutIsData, transport);
    }

    public Launch withEnv(Map<String, String> extra) {
        return new Launch(spec.withEnv(extra), h264OnStdin, probe, stdoutIsData, transport);
    }
}
