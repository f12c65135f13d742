package lib.clients;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import lib.core.InstallLogs;
import lib.core.Workspace;
import lib.delivery.Channel;

/**
 * What one run shares among its clients: the workspace, the channel for the Rust
 * binaries, and toolchains set up once and used by several clients (one npm
 * install for node and bun, one venv for python). A shared toolchain that is
 * AutoCloseable is closed when the run ends, last made first closed.
 * workspace is null for a context that only checks (--list). sources is what
 * --client-source asked for.
 */
public final class ClientContext implements AutoCloseable {
    private final Workspace workspace;
    private final Channel channel;
    private final PackageSource.Choice sources;
    private final Map<String, Object> shared = new ConcurrentHashMap<>();
    /** The install logs written while making each shared toolchain. */
    private final Map<String, List<Path>> sharedLogs = new ConcurrentHashMap<>();
    /** One lock per key: the toolchain under it is made once. */
    private final Map<String, Object> making = new ConcurrentHashMap<>();
    private final Deque<AutoCloseable> closing = new ArrayDeque<>();

    public ClientContext(Workspace workspace, Channel channel) {
        this(workspace, channel, PackageSource.Choice.DEFAULT);
    }

    public ClientContext(Workspace workspace, Channel channel, PackageSource.Choice sources) {
        this.workspace = workspace;
        this.channel = channel;
        this.sources = sources;
    }

    public static ClientContext checkOnly(Channel channel) {
        return checkOnly(channel, PackageSource.Choice.DEFAULT);
    }

    public static ClientContext checkOnly(Channel channel, PackageSource.Choice sources) {
        return new ClientContext(null, channel, sources);
    }

    public Workspace workspace() {
        if (workspace == null) throw new IllegalStateException("a check-only context has no workspace");
        return workspace;
    }

    public Channel channel() {
        return channel;
    }

    public PackageSource.Choice sources() {
        return sources;
    }

    /**
     * The toolchain under key, made by make on first use and shared after that. Clients
     * install side by side: a second client asking for key waits until it is made, while
     * other keys are made meanwhile.
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, Supplier<T> make) {
        synchronized (making.computeIfAbsent(key, k -> new Object())) {
            Object existing = shared.get(key);
            if (existing != null) {
                // Its install logs are every user's: a client broken by the shared npm install shows that log.
                InstallLogs.add(sharedLogs.get(key));
                return (T) existing;
            }
            InstallLogs.Collected<T> collected = InstallLogs.collect(make);
            T made = collected.value();
            sharedLogs.put(key, collected.logs());
            shared.put(key, made);
            if (made instanceof AutoCloseable closeable) {
                synchronized (closing) {
                    closing.push(closeable);
                }
            }
            return made;
        }
    }

    @Override
    public void close() {
        while (true) {
            AutoCloseable next;
            synchronized (closing) {
                if (closing.isEmpty()) return;
                next = closing.pop();
            }
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("closing a shared toolchain failed: " + e.getMessage());
            }
        }
    }
}
