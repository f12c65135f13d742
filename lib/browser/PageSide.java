package lib.browser;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import lib.core.Secrets;
import lib.media.Diagnosis;
import lib.media.Side;
import lib.media.Transport;

/**
 * One side of a cell played by a page in a fresh browser context. The page
 * (clients/js/smoke.js) keeps its state in window.smoke; this side polls it on the
 * Playwright thread and keeps the page's console, its uncaught errors and its
 * failed requests in the cell's artifacts, plus a screenshot when a subscriber got
 * no frame. A page that reaches state "error" counts as a side that exited (code 1).
 */
public final class PageSide implements Side {
    /** How often the page's state is read, in milliseconds: fine enough for time to first frame. */
    static final long POLL_MILLIS = 50;
    /** How long a page with an error and no window.smoke gets before it counts as dead, in nanoseconds. */
    static final long DEAD_PAGE_GRACE_NANOS = 2_000_000_000L;

    private final String label;
    private final boolean subscriber;
    private final Chromium chromium;
    private final Path dir;
    private final String prefix;
    private final CompletableFuture<String> frame = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final List<String> pageErrors = new ArrayList<>();
    private final List<String> failedRequests = new ArrayList<>();
    private volatile Map<String, Object> state = Map.of();
    private volatile IOException artifactFailure;
    private BrowserContext context;
    private Page page;
    private Future<?> poll;
    private boolean stopped;
    private final long opened = System.nanoTime();

    private PageSide(String label, boolean subscriber, Chromium chromium, Path dir) {
        this.label = label;
        this.subscriber = subscriber;
        this.chromium = chromium;
        this.dir = dir;
        this.prefix = subscriber ? "subscriber" : "publisher";
    }

    /** Opens url in a fresh context and starts watching it. */
    public static PageSide open(String label, boolean subscriber, Chromium chromium, URI url, Path dir) {
        PageSide side = new PageSide(label, subscriber, chromium, dir);
        side.append(side.prefix + "-console.log", "(harness) opening " + url);
        chromium.call(() -> {
            side.context = chromium.browser().newContext();
            side.page = side.context.newPage();
            side.page.onConsoleMessage(m -> side.append(side.prefix + "-console.log", m.type() + ": " + m.text()));
            side.page.onPageError(e -> {
                synchronized (side.pageErrors) {
                    side.pageErrors.add(String.valueOf(e));
                }
                side.append(side.prefix + "-page-errors.log", String.valueOf(e));
            });
            side.page.onRequestFailed(r -> {
                String line = r.method() + " " + r.url() + ": " + r.failure();
                synchronized (side.failedRequests) {
                    side.failedRequests.add(line);
                }
                side.append(side.prefix + "-failed-requests.log", line);
            });
            side.page.navigate(url.toString());
            return null;
        });
        side.poll = chromium.every(POLL_MILLIS, side::read);
        return side;
    }

    /** On the Playwright thread: read window.smoke, and settle frame or exit when it says so. */
    @SuppressWarnings("unchecked")
    private void read() {
        if (stopped) return;
        try {
            Object smoke = page.evaluate("() => window.smoke ? JSON.parse(JSON.stringify(window.smoke)) : null");
            if (!(smoke instanceof Map<?, ?> map)) {
                // The page's module never ran and an error says why (a module that does not
                // parse, an import that fails): nothing more will happen here.
                boolean failed;
                synchronized (pageErrors) {
                    failed = !pageErrors.isEmpty();
                }
                if (failed && System.nanoTime() - opened > DEAD_PAGE_GRACE_NANOS && !exit.isDone()) exit.complete(1);
                return;
            }
            state = (Map<String, Object>) map;
            if (subscriber && "frame".equals(state.get("state")) && !frame.isDone()) {
                // Only the bytes: the canvas is painted later, and subChecks reports it as it ends up.
                frame.complete("received " + state.get("frameBytes") + " bytes");
            }
            if ("error".equals(state.get("state")) && !exit.isDone()) exit.complete(1);
            // A subscriber page is done once its frame is on the canvas too.
            if (subscriber && frame.isDone() && Boolean.TRUE.equals(state.get("rendered")) && !exit.isDone()) exit.complete(0);
        } catch (RuntimeException e) {
            if (!exit.isDone()) {
                pageErrors.add("the page could not be read: " + Chromium.firstLine(e.getMessage()));
                exit.complete(1);
            }
        }
    }

    /** The page's state as last read: role, state, transport, frameBytes, rendered, audio, error, versions. */
    public Map<String, Object> state() {
        return state;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public CompletableFuture<String> frame() {
        return frame;
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    @Override
    public Diagnosis diagnosis() {
        if (frame.isDone()) return new Diagnosis(Diagnosis.Kind.FRAME, frame.join());
        Object now = state.get("state");
        return Diagnosis.nothing(now == null ? "the page never set window.smoke" : "the page's state stayed " + now);
    }

    @Override
    public Map<String, Boolean> subChecks() {
        if (!subscriber) return Map.of();
        // Audio only when it came: most publishers send none, and the page closes once painted.
        return Boolean.TRUE.equals(state.get("audio"))
                ? Map.of("frame rendered (canvas not blank)", Boolean.TRUE.equals(state.get("rendered")), "audio arrived", true)
                : Map.of("frame rendered (canvas not blank)", Boolean.TRUE.equals(state.get("rendered")));
    }

    @Override
    public boolean exitsAfterFrame() {
        return subscriber;
    }

    @Override
    public Optional<Transport> transport() {
        Object used = state.get("transport");
        if (used == null) return Optional.empty();
        return Optional.of("websocket".equals(used) ? Transport.WEBSOCKET : Transport.QUIC);
    }

    @Override
    public Optional<String> quicError() {
        synchronized (failedRequests) {
            return failedRequests.stream().filter(r -> r.contains("webtransport") || r.contains("QUIC")).findFirst()
                    .or(() -> Optional.ofNullable((String) state.get("error")));
        }
    }

    /** The page's own error, else its first uncaught error, else its first failed request. */
    @Override
    public Optional<String> firstError() {
        Object error = state.get("error");
        if (error != null) return Optional.of(String.valueOf(error));
        synchronized (pageErrors) {
            if (!pageErrors.isEmpty()) return Optional.of(pageErrors.get(0));
        }
        synchronized (failedRequests) {
            return failedRequests.stream().findFirst().map(r -> "request failed: " + r);
        }
    }

    /** Failed requests so far, for telling an unreachable CDN from a broken page. */
    public List<String> failedRequests() {
        synchronized (failedRequests) {
            return List.copyOf(failedRequests);
        }
    }

    @Override
    public Optional<IOException> artifactFailure() {
        return Optional.ofNullable(artifactFailure);
    }

    @Override
    public List<Path> logs() {
        return List.of(dir.resolve(prefix + "-console.log"), dir.resolve(prefix + "-page-errors.log"), dir.resolve(prefix + "-failed-requests.log"));
    }

    /** Saves the page's last state (and a screenshot when a subscriber got no frame), then closes its context. */
    @Override
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        poll.cancel(false);
        chromium.call(() -> {
            try {
                write(prefix + "-state.json", state.toString());
                if (subscriber && !frame.isDone()) page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(prefix + "-screenshot.png")));
            } catch (RuntimeException e) {
                append(prefix + "-page-errors.log", "screenshot failed: " + Chromium.firstLine(e.getMessage()));
            } finally {
                context.close();
            }
            return null;
        });
    }

    private void append(String file, String line) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), Secrets.redact(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            if (artifactFailure == null) artifactFailure = e;
        }
    }

    private void write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), Secrets.redact(text) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (artifactFailure == null) artifactFailure = e;
        }
    }
}
