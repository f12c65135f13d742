package lib.token;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Secrets;
import lib.core.UsageError;
import lib.core.Workspace;
import lib.delivery.Channel;
import lib.delivery.Crate;
import lib.delivery.Tool;
import lib.toolchain.JsToolchain;

/**
 * The published token implementations, in matrix order: the moq-token binary from
 * the run's channel, npm @moq/token under node and under bun, and the
 * moqdev/moq-token-cli image.
 */
public final class TokenImpls {
    public static final List<String> NAMES = List.of("rust", "js-node", "js-bun", "rust-docker");

    private TokenImpls() {}

    /** A tool ready to run, or why it can't: then tool is null. artifacts: what was fetched for it (provenance). */
    public record Prepared(TokenTool tool, Availability availability, List<Artifact> artifacts) {
        public Prepared {
            artifacts = List.copyOf(artifacts);
        }

        public Prepared(TokenTool tool, Availability availability) {
            this(tool, availability, List.of());
        }

        static Prepared not(Availability why) {
            return new Prepared(null, why, List.of());
        }
    }

    /** What --algorithms accepts: the union of what the implementations declare. */
    public static List<String> algorithms() {
        java.util.Set<String> union = new java.util.HashSet<>(RustTokenTool.ALGORITHMS);
        union.addAll(JsTokenTool.ALGORITHMS);
        return TokenTool.ALGORITHM_ORDER.stream().filter(union::contains).toList();
    }

    /** The container runtime for rust-docker: TOKEN_DOCKER, else docker. */
    public static String dockerRuntime() {
        String runtime = System.getenv("TOKEN_DOCKER");
        return runtime == null || runtime.isBlank() ? "docker" : runtime;
    }

    /**
     * Installs or locates each named implementation once. As in smoke.java, a
     * channel or toolchain that can't be reached is unavailable; a package it
     * delivered that won't install or launch (a missing shared library) is broken,
     * with the tool's or the loader's words, and fails its own cells only.
     */
    public static Map<String, Prepared> prepare(List<String> names, Channel channel, Workspace workspace) {
        Map<String, Prepared> prepared = new LinkedHashMap<>();
        // One npm install of @moq/token serves both JavaScript runtimes.
        Map<String, JsToolchain.Installed> npm = new LinkedHashMap<>();
        for (String name : NAMES) {
            if (!names.contains(name)) continue;
            Prepared one;
            try {
                one = switch (name) {
                    case "rust" -> fromTool(name, channel.provide(Crate.TOKEN, workspace));
                    case "rust-docker" -> fromTool(name, Channel.docker(Crate.TOKEN, workspace, dockerRuntime()));
                    case "js-node" -> js(name, npm.computeIfAbsent("token", k -> JsToolchain.tokenUnderNode(workspace)));
                    case "js-bun" -> js(name, JsToolchain.underBun(npm.computeIfAbsent("token", k -> JsToolchain.tokenUnderNode(workspace)), workspace));
                    default -> throw new IllegalArgumentException(name);
                };
            } catch (UsageError e) {
                throw e;
            } catch (RuntimeException e) {
                one = Prepared.not(Availability.broken(name + " failed to install: " + e.getMessage()));
            }
            System.err.println(name + ": " + Secrets.redact(one.availability().toString()));
            prepared.put(name, one);
        }
        return prepared;
    }

    /** The binary or image as the channel left it: ready, or as unavailable or broken as the channel found it. */
    public static Prepared fromTool(String name, Tool tool) {
        return tool.availability().ready() ? new Prepared(new RustTokenTool(name, tool.command()), tool.availability(), tool.provenance())
                : new Prepared(null, tool.availability(), tool.provenance());
    }

    static Prepared js(String name, JsToolchain.Installed installed) {
        if (!installed.availability().ready()) return Prepared.not(installed.availability());
        return new Prepared(new JsTokenTool(name, installed.runtime(), installed.cli()), installed.availability(), installed.provenance());
    }

    /** The --list table, without installing anything. */
    public static String describe(Channel channel) {
        StringBuilder table = new StringBuilder(String.format("%-12s %s%n", "token", "availability"));
        for (String name : NAMES) table.append(String.format("%-12s %s%n", name, check(name, channel)));
        return table.toString();
    }

    static Availability check(String name, Channel channel) {
        Optional<String> unreachable = switch (name) {
            case "rust" -> channel == Channel.PATH ? Optional.empty() : channel.unreachableReason();
            case "rust-docker" -> Channel.dockerUnreachable(dockerRuntime());
            default -> JsToolchain.unreachableReason();
        };
        if (unreachable.isPresent()) return Availability.unavailable(unreachable.get());
        if (name.equals("rust") && channel == Channel.PATH) {
            try {
                return Channel.PATH.provide(Crate.TOKEN, null).availability();
            } catch (UsageError e) {
                return Availability.unavailable(e.getMessage());
            }
        }
        return Availability.ready(switch (name) {
            case "rust" -> "moq-token-cli via " + channel.id() + ", installed on run";
            case "rust-docker" -> Crate.TOKEN.image() + " via " + dockerRuntime() + ", pulled on run";
            default -> "@moq/token from npm, installed on run";
        });
    }

    /** Checks names against the known ones; the error lists the valid ones. */
    public static List<String> select(List<String> names, String option) {
        List<String> chosen = new ArrayList<>();
        for (String raw : names) {
            String name = raw.strip();
            if (!NAMES.contains(name)) throw new UsageError("unknown implementation '" + raw + "' in " + option + " (valid: " + String.join(", ", NAMES) + ")");
            if (!chosen.contains(name)) chosen.add(name);
        }
        return chosen;
    }

    /** Valid names for picocli's ${COMPLETION-CANDIDATES}. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }
}
