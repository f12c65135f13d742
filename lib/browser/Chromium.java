package lib.browser;

//DEPS com.microsoft.playwright:playwright:1.59.0

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;

import lib.core.Availability;
import lib.core.Commands;
import lib.core.Reaper;

/**
 * The one headless Chromium a run shares, driven by playwright-java. The browser
 * is the machine's (Debian's chromium, the flake's, or SMOKE_CHROMIUM): Playwright
 * is told never to download one. Playwright objects are not thread-safe, so every
 * call to them runs on this class's single thread; cells on other threads go
 * through call() and schedule().
 */
public final class Chromium implements AutoCloseable {
    /** Names the machine's Chromium goes by, in the order they are tried. */
    static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome-stable", "google-chrome");

    private final ScheduledExecutorService thread;
    private final Playwright playwright;
    private final Browser browser;
    private final Availability availability;

    private Chromium(ScheduledExecutorService thread, Playwright playwright, Browser browser, Availability availability) {
        this.thread = thread;
        this.playwright = playwright;
        this.browser = browser;
        this.availability = availability;
    }

    public Availability availability() {
        return availability;
    }

    /** Where the browser binary is: SMOKE_CHROMIUM, else the first of NAMES on PATH; empty under the flake, whose Playwright brings its own. */
    public static Optional<Path> executable() {
        String chosen = System.getenv("SMOKE_CHROMIUM");
        if (chosen != null && !chosen.isBlank()) return Optional.of(Path.of(chosen));
        for (String name : NAMES) {
            Optional<Path> found = Commands.which(name);
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    /** Why no browser can be launched here, if none can; checks without launching. */
    public static Optional<String> unreachableReason() {
        if (executable().isPresent() || System.getenv("PLAYWRIGHT_BROWSERS_PATH") != null) return Optional.empty();
        return Optional.of("no Chromium found (tried " + String.join(", ", NAMES) + " on PATH; SMOKE_CHROMIUM names one)");
    }

    /**
     * Launches the browser: fake camera and microphone, no background traffic of its
     * own, QUIC left on (WebTransport needs it). --no-sandbox only as root, where
     * Chromium refuses to start without it.
     */
    public static Chromium launch() {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "playwright");
            t.setDaemon(true);
            return t;
        });
        Optional<String> missing = unreachableReason();
        if (missing.isPresent()) return new Chromium(thread, null, null, Availability.unavailable(missing.get()));
        try {
            return thread.submit(() -> {
                // The driver and the browser carry the run's marker, so a harness killed
                // outright still takes them down (lib/core/Reaper).
                Reaper.ensureStarted();
                Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1", Reaper.VARIABLE, Reaper.marker(0))));
                List<String> args = new ArrayList<>(List.of("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                        "--autoplay-policy=no-user-gesture-required", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run"));
                if ("root".equals(System.getProperty("user.name"))) args.add("--no-sandbox");
                BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setHeadless(true).setArgs(args);
                executable().ifPresent(options::setExecutablePath);
                try {
                    Browser browser = playwright.chromium().launch(options);
                    return new Chromium(thread, playwright, browser, Availability.ready("Chromium " + browser.version()));
                } catch (PlaywrightException e) {
                    playwright.close();
                    return new Chromium(thread, null, null, Availability.broken("Chromium does not launch: " + firstLine(e.getMessage())));
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Chromium(thread, null, null, Availability.broken("interrupted while launching Chromium"));
        } catch (ExecutionException e) {
            return new Chromium(thread, null, null, Availability.broken("Playwright could not start: " + firstLine(String.valueOf(e.getCause().getMessage()))));
        }
    }

    /** The browser itself: touch it only inside call(), on the Playwright thread. */
    public Browser browser() {
        return browser;
    }

    /** Runs work on the Playwright thread and waits for it; its exceptions come back unwrapped. */
    public <T> T call(Callable<T> work) {
        Future<T> future = thread.submit(work);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new IllegalStateException("interrupted while driving the browser", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs work on the Playwright thread every period milliseconds until cancelled. */
    Future<?> every(long periodMillis, Runnable work) {
        return thread.scheduleWithFixedDelay(work, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    ExecutorService thread() {
        return thread;
    }

    @Override
    public void close() {
        if (playwright != null) {
            try {
                call(() -> {
                    browser.close();
                    playwright.close();
                    return null;
                });
            } catch (RuntimeException e) {
                System.err.println("closing Chromium: " + firstLine(String.valueOf(e.getMessage())));
            }
        }
        thread.shutdownNow();
    }

    static String firstLine(String message) {
        return message == null ? "" : message.strip().lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
    }
}
