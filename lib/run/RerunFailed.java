package lib.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

import lib.core.UsageError;
import lib.report.Compare;

/**
 * What --rerun-failed takes from an earlier run's results.json: the keys of the
 * cells that failed the run (unexpected failures only: an xfail is known red; an
 * unavailable cell under that run's --require-available and an xpass under its --strict), and that
 * run's options as arguments, so the rerun asks for exactly what it asked for.
 */
public record RerunFailed(List<String> args, Set<String> cells) {
    /** Options that belong to one invocation, not to what it tested: a rerun gets its own artifacts dir. */
    private static final Set<String> OWN = Set.of("out", "list", "rerun-failed");

    /**
     * @param out the rerun's own --out, or null for a fresh out/<run-id>
     * @throws UsageError if the file is not a results.json of this suite; cells is empty when no cell failed in it
     */
    public static RerunFailed read(Path file, String suite, Path out) {
        JsonNode run = Compare.read(file);
        if (!run.get("suite").asText().equals(suite)) {
            throw new UsageError("--rerun-failed " + file + " is a " + run.get("suite").asText() + " run, not a " + suite + " run");
        }
        // What failed that run: a failed cell, and under its own --require-available an unavailable one,
        // under its own --strict an xpass (the rerun has the same options, so judges them alike).
        Set<String> failing = new java.util.HashSet<>(Set.of("fail"));
        if (run.path("options").path("require-available").asBoolean(false)) failing.add("unavailable");
        if (run.path("options").path("strict").asBoolean(false)) failing.add("xpass");
        Set<String> failed = new LinkedHashSet<>();
        for (JsonNode cell : run.get("cells")) if (failing.contains(cell.path("status").asText())) failed.add(cell.get("cell").asText());
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, JsonNode> option : run.path("options").properties()) {
            if (OWN.contains(option.getKey())) continue;
            JsonNode value = option.getValue();
            String name = "--" + option.getKey();
            // An empty list (--client-source not given) is the option's absence, not an empty value.
            if (value.isNull() || (value.isBoolean() && !value.asBoolean()) || (value.isArray() && value.isEmpty())) continue;
            if (value.isBoolean()) {
                args.add(name);
            } else if (value.isArray()) {
                args.add(name);
                args.add(String.join(",", StreamSupport.stream(value.spliterator(), false).map(JsonNode::asText).toList()));
            } else {
                args.add(name);
                args.add(value.asText());
            }
        }
        if (out != null) args.addAll(List.of("--out", out.toString()));
        return new RerunFailed(List.copyOf(args), Set.copyOf(failed));
    }
}
