package lib.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lib.core.Artifact;
import lib.core.ArtifactFailure;
import lib.core.Secrets;
import lib.report.CellResult.Status;

/**
 * repro.sh: for each failed cell, a script in its artifacts folder that reinstalls
 * exactly the versions the cell used (--pin for each pinnable artifact) and reruns
 * only that cell, with the digests that were fetched as comments and, after the
 * rerun, checked against the replay's own results.json. Built from the cell's
 * record alone, so it holds what the reports hold and no secret (the harness
 * passes tokens through the environment, never its command line).
 */
public final class Repro {
    private Repro() {}

    /** Where a failed cell's repro.sh goes (its folder under cells/); empty for any other cell. */
    public static Optional<Path> path(Report report, CellResult cell) {
        if (cell.status() != Status.FAIL || report.out() == null) return Optional.empty();
        String variant = cell.variant().isEmpty() ? "" : "-" + cell.variant().replaceAll("[^A-Za-z0-9_.-]+", "-");
        return Optional.of(report.out().resolve("cells").resolve(cell.from() + "-" + cell.to() + variant).resolve("repro.sh"));
    }

    /** Writes every failed cell's repro.sh, executable, to run from repo (where ./jbang and the scripts are). */
    static void writeAll(Report report, Path repo) {
        for (CellResult cell : report.cells()) {
            Optional<Path> file = path(report, cell);
            if (file.isEmpty()) continue;
            try {
                Files.createDirectories(file.get().getParent());
                Files.writeString(file.get(), script(report, cell, repo));
                Files.setPosixFilePermissions(file.get(), PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new ArtifactFailure(file.get(), e);
            }
        }
    }

    /**
     * The script for one cell: its rerun command (which names that cell's sides,
     * transport and timeout) without any --pin of its own, plus one --pin per
     * pinnable artifact the cell used, in a fresh --out (REPRO_OUT, else a temp dir).
     * Exits with the harness's exit code: 1 when the cell is red again.
     */
    public static String script(Report report, CellResult cell, Path repo) {
        Map<String, String> pins = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Artifact a : cell.artifacts()) {
            Optional<String> pin = a.pin();
            if (pin.isEmpty() && a.dependency()) {
                notes.add(a.name() + " " + a.version() + ": not pinned (a dependency, held by its dependent's pin; its digest is checked below)");
                continue;
            }
            if (pin.isEmpty()) {
                notes.add(a.name() + (a.version().isEmpty() ? "" : " " + a.version()) + ": not pinned (" + a.source().id() + ": the harness cannot install it by version)");
                continue;
            }
            String name = pin.get().substring(0, pin.get().indexOf('='));
            String before = pins.putIfAbsent(name, pin.get());
            if (before != null && !before.equals(pin.get())) notes.add(pin.get() + ": not pinned (the cell also used " + before + ")");
        }
        StringBuilder sh = new StringBuilder("#!/usr/bin/env bash\n");
        sh.append("# Replays ").append(comment(report.suite())).append(" cell ").append(comment(cell.key())).append(" of run ").append(comment(report.runId()))
                .append(":\n# reinstalls exactly the versions it used and reruns only this cell.\n");
        sh.append("# It failed: ").append(comment(Secrets.redact(cell.reason()))).append('\n');
        sh.append("# What it used, as fetched (name version source file digest):\n");
        for (Artifact a : cell.artifacts()) {
            sh.append("#   ").append(comment(a.name())).append(' ').append(a.version().isEmpty() ? "-" : comment(a.version())).append(' ').append(a.source().id())
                    .append(' ').append(a.file().isEmpty() ? "-" : comment(a.file())).append(' ').append(comment(a.digestText())).append('\n');
        }
        notes.forEach(n -> sh.append("# ").append(comment(n)).append('\n'));
        sh.append("set -euo pipefail\n");
        sh.append("cd ").append(quote(repo.toAbsolutePath().normalize().toString())).append('\n');
        sh.append("out=${REPRO_OUT:-$(mktemp -d)}\n");
        sh.append("status=0\n");
        StringBuilder command = new StringBuilder(cell.rerun().replaceAll(" --pin \\S+", ""));
        pins.values().forEach(p -> command.append(" --pin ").append(quote(p)));
        sh.append(command).append(" --out \"$out\" || status=$?\n");
        List<Artifact> known = cell.artifacts().stream().filter(Artifact::known).toList();
        if (!known.isEmpty()) {
            sh.append("# The same bytes? Each digest above must be in the replay's own record.\n");
            sh.append("for digest in");
            known.forEach(a -> sh.append(' ').append(quote(a.digest())));
            sh.append("; do\n");
            sh.append("    grep -qF -- \"$digest\" \"$out/results.json\" 2>/dev/null || echo \"repro: digest $digest is not in $out/results.json: the replay fetched other bytes\" >&2\n");
            sh.append("done\n");
        }
        sh.append("echo \"repro: exit $status (1: the cell is red again); results in $out\" >&2\n");
        sh.append("exit \"$status\"\n");
        return sh.toString();
    }

    /** Every artifact the cells used, once each, in first-use order. */
    public static List<Artifact> distinct(List<CellResult> cells) {
        Map<String, Artifact> all = new LinkedHashMap<>();
        for (CellResult cell : cells) {
            for (Artifact a : cell.artifacts()) all.putIfAbsent(a.name() + " " + a.version() + " " + a.source(), a);
        }
        return List.copyOf(all.values());
    }

    /** One line of comment: no newline can end the comment and start a command. */
    private static String comment(String text) {
        return ReportText.line(text).replaceAll("[\\r\\n]+", " ");
    }

    /** A single-quoted shell word. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
