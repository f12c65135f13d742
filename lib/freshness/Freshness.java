package lib.freshness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import lib.core.UsageError;

/**
 * The "always latest, no lock files" policy. This project tests what a user gets
 * today, so nothing it commits may hold a moq package back: no package lock file,
 * every moq package requested at latest, and the one allowed pin (playwright-java,
 * whose driver must find the Chromium the flake ships) equal to the version the
 * flake exports. Only files git tracks count, so ignored build output never does.
 * Plain text scanning, no build tool: it runs in well under a second.
 */
public final class Freshness {
    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(20);

    private static final Set<String> LOCK_FILES = Set.of("go.sum", "go.work.sum", "bun.lock", "bun.lockb",
            "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "deno.lock", "Cargo.lock",
            "uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock", "Package.resolved");

    /** These spell offences out on purpose (the rules and their tests, and --pin's tests). */
    private static final Set<String> EXEMPT = Set.of("lib/freshness/Freshness.java", "test/FreshnessTest.java", "test/ProvenanceTest.java");

    private static final Set<String> MAVEN_LATEST = Set.of("latest.release", "latest.integration", "+", "RELEASE", "LATEST");

    /** Flags one match of a request pattern; empty when the request is at latest. */
    private record Rule(Pattern pattern, Function<Matcher, Optional<String>> verdict) {}

    /** Requests for a moq package, in any file that can make one (scripts, manifests, Java, workflows). */
    private static final List<Rule> REQUESTS = List.of(
            new Rule(Pattern.compile("(@moq/[a-z0-9][\\w.-]*)@([^\\s\"'`/,;)]+)"),
                    m -> offenceIf(!m.group(2).equals("latest"), "npm " + m.group(1) + " requested at " + m.group(2) + ", not latest")),
            new Rule(Pattern.compile("(?i)(?<![\\w.-])(moq[-_.](?:rs|ffi))\\s*(?:\\[[^\\]]*\\])?\\s*"
                            + "((?:===|==|~=|!=|<=|>=|<|>)\\s*\\d[^\\s\"',;\\]]*|@\\s*(?:https?|git\\+|file):\\S*)"),
                    m -> Optional.of("PyPI " + m.group(1) + " requested as " + m.group(1) + m.group(2)
                            + "; request it bare so every run resolves the latest")),
            new Rule(Pattern.compile("(github\\.com/moq-dev/moq-go[\\w./-]*)@([^\\s\"'`,;)]+)"),
                    m -> offenceIf(!m.group(2).equals("latest"), "Go " + m.group(1) + " requested at " + m.group(2) + ", not @latest")),
            new Rule(Pattern.compile("dev\\.moq:([\\w.-]+):(\\[[^\\])]*[\\])]|\\([^\\])]*[\\])]|[^\\s\"'`,;)@]+)"),
                    m -> offenceIf(!mavenLatest(m.group(2)), "Maven dev.moq:" + m.group(1) + " requested at " + m.group(2)
                            + ", not latest (use latest.release, or RELEASE in //DEPS)")),
            new Rule(Pattern.compile("moqdev/(moq[\\w-]*)(?::([\\w][\\w.-]*)|@(sha256:\\w+))"),
                    m -> offenceIf(!"latest".equals(m.group(2)), "Docker image moqdev/" + m.group(1) + " pinned at "
                            + (m.group(2) != null ? m.group(2) : m.group(3)) + ", not :latest")),
            new Rule(Pattern.compile("moq-dev/tap/([\\w.-]+)@([\\w.]+)"),
                    m -> Optional.of("Homebrew moq-dev/tap/" + m.group(1) + " pinned at @" + m.group(2) + ", not the current formula")),
            new Rule(Pattern.compile("(?<![\\w./-])(moq-relay|moq-cli|moq-token-cli|moq-gst|gstreamer1\\.0-moq)=(\\d\\S*)"),
                    m -> Optional.of("apt " + m.group(1) + " pinned at =" + m.group(2) + ", not the newest in the repository")),
            new Rule(Pattern.compile("github:moq-dev/moq(?:/([\\w.-]+)|\\?\\S*?\\b(?:rev|ref)=([\\w./-]+))"),
                    m -> Optional.of("the moq flake pinned at " + (m.group(1) != null ? m.group(1) : m.group(2))
                            + "; reference github:moq-dev/moq bare, with --refresh")));

    /** Read with quotes and commas as spaces, so a Java List.of("cargo", "install", ...) reads like the shell line. */
    private static final Pattern CARGO_INSTALL = Pattern.compile("\\bcargo\\s+(?:\\+\\S+\\s+)?(?:binstall|install)\\b(.*)");
    private static final Pattern QUOTES_AND_COMMAS = Pattern.compile("[\"',]");
    private static final Pattern CARGO_PINNED = Pattern.compile("--vers(?:ion)?\\b|--(?:rev|tag|branch)\\b|\\bmoq[\\w-]*@\\d");

    /** package.json dependency, devDependency, override or resolution entries. */
    private static final Pattern NPM_ENTRY = Pattern.compile("\"(@moq/[\\w.-]+)\"\\s*:\\s*\"([^\"]*)\"");
    /** go.mod require and replace lines (go.sum is a lock file of its own). */
    private static final Pattern GO_MOD_REQUIRE = Pattern.compile("(github\\.com/moq-dev/moq-go[\\w./-]*)\\s+(v\\d\\S*)");
    private static final Pattern CARGO_SECTION = Pattern.compile("^\\s*\\[([^\\]]+)\\]\\s*$");
    private static final Pattern CARGO_ENTRY = Pattern.compile("^\\s*((?:moq|hang|libmoq)[\\w-]*)\\s*=\\s*(.+)$");
    private static final Pattern CARGO_TABLE = Pattern.compile("dependencies\\.((?:moq|hang|libmoq)[\\w-]*)$");
    private static final Pattern CARGO_VERSION = Pattern.compile("^\\s*version\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern SWIFT_PACKAGE = Pattern.compile("moq-dev/moq-swift[^)]*\\)");

    private static final Pattern PLAYWRIGHT_DEPS = Pattern.compile("com\\.microsoft\\.playwright:playwright:([^\\s,]+)");
    /** How flake.nix exports the version: a literal line, readable without Nix. */
    private static final Pattern FLAKE_PLAYWRIGHT = Pattern.compile("(?m)^\\s*PLAYWRIGHT_VERSION\\s*=\\s*\"([^\"]+)\"\\s*;");
    private static final Pattern FLAKE_MOQ = Pattern.compile("moq-dev|\\bmoq-(?:relay|cli|token-cli|gst|rs|ffi)\\b");

    private Freshness() {}

    /** One breach of the policy: where (a file, or file:line) and what. */
    public record Offence(String where, String what) {
        @Override
        public String toString() {
            return where + ": " + what;
        }
    }

    /** What a check found; notes are worth saying but are not offences. */
    public record Report(int files, List<Offence> offences, List<String> notes, Duration took) {
        public boolean ok() {
            return offences.isEmpty();
        }
    }

    /**
     * For smoke.java and token.java: in a checkout of this project (dir is its top or
     * any directory below), throws a UsageError naming every offence. Anywhere else (a
     * catalog alias run from another directory) there is nothing committed to check, so
     * it does nothing.
     *
     * <p>A tree that passed is remembered in cacheDir by the list of tracked files with
     * each one's size and modification time (nanoseconds), as git's own index tells
     * changed files, and by this class's own bytes: until a file is edited, added or
     * removed, or the rules change, later runs skip reading it all again (0.2 s of CPU
     * on a small machine). A tree with offences is never remembered.
     */
    public static void enforce(Path dir, Path cacheDir) {
        Optional<Path> top = checkoutAbove(dir);
        if (top.isEmpty() || !Files.isRegularFile(top.get().resolve("freshness.java"))) return;
        Path root = top.get();
        List<String> tracked = tracked(root);
        Optional<String> tree = treeKey(root, tracked);
        Path passed = cacheDir.resolve("freshness").resolve(sha256(root.toString().getBytes(StandardCharsets.UTF_8)) + ".passed");
        if (tree.isPresent() && tree.get().equals(readQuietly(passed))) return;
        Report report = check(root, tracked);
        if (!report.ok()) {
            throw new UsageError("the always-latest policy is broken (details: ./jbang freshness.java): "
                    + report.offences().stream().map(Offence::toString).collect(Collectors.joining("; ")));
        }
        tree.ifPresent(key -> writeQuietly(passed, key));
    }

    /** Checks the git checkout that dir is in; bad input if it is none. */
    public static Report check(Path dir) {
        Path root = topOfCheckout(dir);
        return check(root, tracked(root));
    }

    private static List<String> tracked(Path root) {
        return List.of(git(root, "ls-files", "-z").split("\0")).stream().filter(p -> !p.isEmpty()).toList();
    }

    private static Report check(Path root, List<String> tracked) {
        long started = System.nanoTime();

        List<Offence> offences = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Pin> playwrightPins = new ArrayList<>();
        for (String path : tracked) {
            Path file = root.resolve(path);
            if (!Files.isRegularFile(file)) continue;
            String name = file.getFileName().toString();
            if (isLockFile(path, name)) {
                offences.add(new Offence(path, "package lock file committed; every run resolves packages afresh, so git rm --cached it"));
                continue;
            }
            Optional<String> text = readText(file);
            if (text.isEmpty()) continue;
            List<String> lines = text.get().lines().toList();
            if (name.endsWith(".java")) playwrightPins.addAll(playwrightPins(path, lines));
            if (EXEMPT.contains(path) || isProse(name)) continue;
            scanRequests(path, lines, offences);
            switch (name) {
                case "package.json" -> scanPackageJson(path, lines, offences);
                case "go.mod", "go.work" -> scanGoMod(path, lines, offences);
                case "Cargo.toml" -> scanCargoToml(path, lines, offences);
                case "Package.swift" -> scanPackageSwift(path, text.get(), offences);
                default -> { }
            }
            if (path.equals("flake.nix") || path.equals("flake.lock")) scanFlake(path, lines, offences);
        }
        checkPlaywright(root, tracked, playwrightPins, offences, notes);
        return new Report(tracked.size(), List.copyOf(offences), List.copyOf(notes), Duration.ofNanos(System.nanoTime() - started));
    }

    /** Where git would find the checkout's top; looked up here to save a second git process. */
    private static Path topOfCheckout(Path dir) {
        return checkoutAbove(dir).orElseThrow(() -> new UsageError(dir.toAbsolutePath().normalize()
                + " is not in a git checkout (the policy reads what git tracks)"));
    }

    private static Optional<Path> checkoutAbove(Path dir) {
        for (Path candidate = dir.toAbsolutePath().normalize(); candidate != null; candidate = candidate.getParent()) {
            if (Files.exists(candidate.resolve(".git"))) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    private static boolean isLockFile(String path, String name) {
        // flake.lock at the top pins the toolchain (nixpkgs), never moq; scanFlake makes sure of that.
        if (name.equals("flake.lock")) return !path.equals("flake.lock");
        return LOCK_FILES.contains(name) || name.endsWith(".lockfile");
    }

    /** Documentation describes versions; it requests nothing. */
    private static boolean isProse(String name) {
        return name.endsWith(".md") || name.endsWith(".adoc") || name.endsWith(".rst");
    }

    private static void scanRequests(String path, List<String> lines, List<Offence> offences) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = path + ":" + (i + 1);
            // Every request names moq somewhere; the cheap test first keeps the scan well under a second.
            if (line.toLowerCase(Locale.ROOT).contains("moq")) {
                for (Rule rule : REQUESTS) {
                    Matcher m = rule.pattern().matcher(line);
                    while (m.find()) rule.verdict().apply(m).ifPresent(what -> offences.add(new Offence(where, what)));
                }
            }
            if (!line.contains("cargo")) continue;
            Matcher cargo = CARGO_INSTALL.matcher(QUOTES_AND_COMMAS.matcher(line).replaceAll(" "));
            if (cargo.find() && CARGO_PINNED.matcher(cargo.group(1)).find()) {
                offences.add(new Offence(where, "cargo install with a pinned version; without one it installs the latest"));
            }
        }
    }

    private static void scanPackageJson(String path, List<String> lines, List<Offence> offences) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = NPM_ENTRY.matcher(lines.get(i));
            while (m.find()) {
                if (!m.group(2).equals("latest")) {
                    offences.add(new Offence(path + ":" + (i + 1), "npm " + m.group(1) + " requested at \"" + m.group(2) + "\", not \"latest\""));
                }
            }
        }
    }

    private static void scanGoMod(String path, List<String> lines, List<Offence> offences) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = GO_MOD_REQUIRE.matcher(lines.get(i));
            if (m.find()) {
                offences.add(new Offence(path + ":" + (i + 1), "Go " + m.group(1) + " held at " + m.group(2)
                        + " by a committed go.mod; go get it @latest when the client is built instead"));
            }
        }
    }

    /** Rust manifests: a moq crate must be "*" from the crates registry, inline or as its own table. */
    private static void scanCargoToml(String path, List<String> lines, List<Offence> offences) {
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("\\s#.*$", "");
            Matcher header = CARGO_SECTION.matcher(line);
            if (header.find()) {
                section = header.group(1).strip();
                continue;
            }
            String where = path + ":" + (i + 1);
            Matcher table = CARGO_TABLE.matcher(section);
            if (table.find()) {
                Matcher version = CARGO_VERSION.matcher(line);
                if (version.find() && !version.group(1).equals("*")) offences.add(cargoPin(where, table.group(1), version.group(1)));
                if (line.matches("^\\s*(git|path|rev|tag|branch)\\s*=.*")) offences.add(cargoNotRegistry(where, table.group(1)));
                continue;
            }
            if (!section.endsWith("dependencies")) continue;
            Matcher entry = CARGO_ENTRY.matcher(line);
            if (!entry.find()) continue;
            String crate = entry.group(1);
            String value = entry.group(2).strip();
            if (value.startsWith("{")) {
                Matcher version = Pattern.compile("\\bversion\\s*=\\s*\"([^\"]*)\"").matcher(value);
                if (version.find() && !version.group(1).equals("*")) offences.add(cargoPin(where, crate, version.group(1)));
                if (value.matches(".*\\b(git|path|rev|tag|branch)\\s*=.*")) offences.add(cargoNotRegistry(where, crate));
            } else if (!value.equals("\"*\"")) {
                offences.add(cargoPin(where, crate, value.replace("\"", "")));
            }
        }
    }

    private static Offence cargoPin(String where, String crate, String version) {
        return new Offence(where, "crate " + crate + " requested at " + version + ", not \"*\"");
    }

    private static Offence cargoNotRegistry(String where, String crate) {
        return new Offence(where, "crate " + crate + " taken from git or a path, not the published crate");
    }

    /** SwiftPM has no "latest": from: is the newest release below the next major, the closest it gets. */
    private static void scanPackageSwift(String path, String text, List<Offence> offences) {
        Matcher m = SWIFT_PACKAGE.matcher(text);
        while (m.find()) {
            String request = m.group();
            if (!request.contains("from:") || request.matches("(?s).*(exact|revision:|branch:|upToNextMinor|\\.\\.[.<]).*")) {
                long line = text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                offences.add(new Offence(path + ":" + line, "SwiftPM moq-swift pinned (" + request.replaceAll("\\s+", " ")
                        + "); request it with from: so it takes the newest release"));
            }
        }
    }

    /** The dev shell carries toolchains only: a moq input would end up locked in flake.lock. */
    private static void scanFlake(String path, List<String> lines, List<Offence> offences) {
        for (int i = 0; i < lines.size(); i++) {
            String code = path.endsWith(".nix") ? lines.get(i).replaceFirst("#.*$", "") : lines.get(i);
            if (FLAKE_MOQ.matcher(code).find()) {
                offences.add(new Offence(path + ":" + (i + 1), "moq in the dev flake; the moq flake is referenced ad hoc "
                        + "with --refresh and the binaries come from a channel, never from a locked input"));
            }
        }
    }

    private record Pin(String where, String version) {}

    /** playwright-java //DEPS lines, read the way JBang reads directives. */
    private static List<Pin> playwrightPins(String path, List<String> lines) {
        List<Pin> pins = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("//DEPS")) continue;
            Matcher m = PLAYWRIGHT_DEPS.matcher(lines.get(i));
            while (m.find()) pins.add(new Pin(path + ":" + (i + 1), m.group(1)));
        }
        return pins;
    }

    private static void checkPlaywright(Path root, List<String> tracked, List<Pin> pins, List<Offence> offences, List<String> notes) {
        Optional<String> exported = Optional.empty();
        if (tracked.contains("flake.nix")) {
            Matcher m = FLAKE_PLAYWRIGHT.matcher(readText(root.resolve("flake.nix")).orElse(""));
            if (m.find()) exported = Optional.of(m.group(1));
        }
        if (pins.isEmpty()) {
            notes.add("no playwright-java //DEPS yet, so nothing to hold to flake.nix's PLAYWRIGHT_VERSION "
                    + exported.orElse("(none)"));
            return;
        }
        if (exported.isEmpty()) {
            for (Pin pin : pins) {
                offences.add(new Offence(pin.where(), "playwright-java " + pin.version() + " is pinned, but flake.nix exports no "
                        + "PLAYWRIGHT_VERSION = \"...\"; line to hold it to the flake's Chromium"));
            }
            return;
        }
        boolean match = true;
        for (Pin pin : pins) {
            if (!pin.version().equals(exported.get())) {
                match = false;
                offences.add(new Offence(pin.where(), "playwright-java " + pin.version() + " differs from PLAYWRIGHT_VERSION "
                        + exported.get() + " in flake.nix, whose Chromium it must drive; bump them together"));
            }
        }
        if (match) {
            notes.add("playwright-java " + exported.get() + " matches flake.nix's PLAYWRIGHT_VERSION");
        }
    }

    private static boolean mavenLatest(String version) {
        return MAVEN_LATEST.contains(version) || version.matches("\\[[^,\\]]+,\\)");
    }

    private static Optional<String> offenceIf(boolean offence, String what) {
        return offence ? Optional.of(what) : Optional.empty();
    }

    /** The file as UTF-8 text; empty for binary files, which request nothing. */
    private static Optional<String> readText(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) if (b == 0) return Optional.empty();
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What enforce remembers a passing tree by; empty when a file cannot be looked at
     * (the scan then runs, and reports it).
     */
    private static Optional<String> treeKey(Path root, List<String> tracked) {
        try (var rules = Freshness.class.getResourceAsStream("Freshness.class")) {
            StringBuilder key = new StringBuilder(sha256(rules == null ? new byte[0] : rules.readAllBytes())).append('\n');
            for (String path : tracked) {
                Path file = root.resolve(path);
                if (!Files.exists(file)) {
                    key.append(path).append(" gone\n");
                    continue;
                }
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                key.append(path).append(' ').append(attributes.size()).append(' ')
                        .append(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)).append('\n');
            }
            return Optional.of(sha256(key.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The memory is a shortcut: where it cannot be written, the next run scans again. */
    private static void writeQuietly(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial");
            Files.writeString(partial, text);
            try {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            // Nothing remembered; the scan itself passed.
        }
    }

    /**
     * git's answer, its stdout (exit code 0), or a UsageError. A plain ProcessBuilder rather
     * than Proc: git answers at once, and it keeps freshness.java small and quick to start.
     * stderr is read apart: a warning there (a broken fsmonitor hook, GIT_TRACE) is no part
     * of the answer, and glued to a tracked path it would hide that file from the policy.
     */
    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> text(git.getErrorStream()));
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!git.waitFor(GIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) git.destroyForcibly();
            if (git.isAlive() || git.exitValue() != 0) {
                String said = errors.join().isBlank() ? output : errors.join();
                throw new UsageError("git " + String.join(" ", args) + " failed in " + dir + ": "
                        + said.strip().lines().reduce((a, b) -> b).orElse("no output"));
            }
            return output;
        } catch (IOException e) {
            throw new UsageError("cannot run git, which the policy needs to list the tracked files: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageError("interrupted while waiting for git");
        }
    }

    /** All of stream, read on a thread of its own beside the other stream. */
    private static String text(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
