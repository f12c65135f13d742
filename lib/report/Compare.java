package lib.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import lib.core.HelpOption;
import lib.core.UsageError;

/**
 * Two runs' results.json side by side (media or token): the cells whose status
 * changed, the versions that changed, and the cells whose time to first frame
 * grew by more than half. A regression is a cell that was green and is now an
 * unexpected failure, or one that got that much slower.
 */
@Command(name = "compare",
        description = "Compare two runs' results.json: changed cells, changed versions, cells more than 50%% slower to their first frame.",
        footer = {"", "Exit codes: 0 no regression, 1 a regression (a green cell now fails, or is more than 50%% slower), 2 bad input."})
public final class Compare implements Callable<Integer> {
    @Mixin HelpOption help;
    /** Slower than this many times the old time to first frame is a regression. */
    static final double SLOWER = 1.5;
    private static final Set<String> GREEN = Set.of("pass", "xpass");

    @Parameters(index = "0", paramLabel = "BEFORE", description = "The earlier run's results.json.")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "The later run's results.json.")
    Path after;

    /** What changed, one line each, and whether any of it is a regression. */
    public record Diff(List<String> lines, boolean regression) {}

    @Override
    public Integer call() {
        Diff diff = diff(read(before), read(after));
        diff.lines().forEach(System.out::println);
        System.out.println(diff.regression() ? "regression" : "no regression");
        return diff.regression() ? 1 : 0;
    }

    /**
     * @throws UsageError if the file cannot be read or is not a results.json
     */
    public static JsonNode read(Path file) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's own message spans lines and quotes its parser settings; one line says where and what.
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new UsageError(file + " is not JSON" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UsageError("cannot read " + file + ": " + e.getMessage());
        }
        if (json == null || !json.path("cells").isArray() || !json.path("suite").isTextual()) {
            throw new UsageError(file + " is not a results.json (no suite and cells)");
        }
        for (JsonNode cell : json.get("cells")) {
            if (!cell.path("cell").isTextual()) throw new UsageError(file + " has a cell without its key: written by an older harness?");
        }
        return json;
    }

    public static Diff diff(JsonNode before, JsonNode after) {
        if (!before.get("suite").asText().equals(after.get("suite").asText())) {
            throw new UsageError("cannot compare a " + before.get("suite").asText() + " run with a " + after.get("suite").asText() + " run");
        }
        List<String> lines = new ArrayList<>();
        boolean regression = false;
        Map<String, String> oldVersions = versions(before);
        Map<String, String> newVersions = versions(after);
        Set<String> artifacts = new LinkedHashSet<>(oldVersions.keySet());
        artifacts.addAll(newVersions.keySet());
        for (String artifact : artifacts) {
            String was = oldVersions.get(artifact);
            String is = newVersions.get(artifact);
            if (!Objects.equals(was, is)) lines.add("version " + artifact + ": " + (was == null ? "(none)" : was) + " -> " + (is == null ? "(none)" : is));
        }
        Map<String, JsonNode> oldCells = cells(before);
        Map<String, JsonNode> newCells = cells(after);
        for (var entry : newCells.entrySet()) {
            JsonNode was = oldCells.get(entry.getKey());
            JsonNode is = entry.getValue();
            String status = is.path("status").asText();
            if (was == null) {
                lines.add("new cell " + entry.getKey() + ": " + status);
                continue;
            }
            String oldStatus = was.path("status").asText();
            if (!oldStatus.equals(status)) {
                boolean worse = GREEN.contains(oldStatus) && status.equals("fail");
                regression |= worse;
                lines.add((worse ? "REGRESSION " : "changed ") + entry.getKey() + ": " + oldStatus + " -> " + status
                        + (status.equals("pass") ? "" : " (" + is.path("reason").asText() + ")"));
            }
            if (was.path("timeToFirstFrameMs").isNumber() && is.path("timeToFirstFrameMs").isNumber()) {
                long oldMs = was.get("timeToFirstFrameMs").asLong();
                long newMs = is.get("timeToFirstFrameMs").asLong();
                if (newMs > oldMs * SLOWER) {
                    regression = true;
                    lines.add(String.format("REGRESSION %s: first frame %.1fs -> %.1fs (+%d%%)", entry.getKey(), oldMs / 1000.0, newMs / 1000.0,
                            oldMs == 0 ? 100 : Math.round(100.0 * (newMs - oldMs) / oldMs)));
                }
            }
        }
        oldCells.keySet().stream().filter(k -> !newCells.containsKey(k)).forEach(k -> lines.add("cell " + k + " not in the later run"));
        return new Diff(lines, regression);
    }

    private static Map<String, String> versions(JsonNode run) {
        Map<String, String> versions = new LinkedHashMap<>();
        run.path("versions").properties().forEach(e -> versions.put(e.getKey(), e.getValue().asText()));
        return versions;
    }

    private static Map<String, JsonNode> cells(JsonNode run) {
        Map<String, JsonNode> cells = new LinkedHashMap<>();
        for (JsonNode cell : run.get("cells")) cells.put(cell.path("cell").asText(), cell);
        return cells;
    }
}
