package lib.clients;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import lib.core.UsageError;
import lib.delivery.Channel;

/**
 * Where a client published in several forms takes its package from: the
 * platform tarball of the latest GitHub release, the crate built with cargo, or
 * a local build named by an environment variable.
 */
public enum PackageSource {
    RELEASE, CRATE, LOCAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The run's default: LOCAL when the client's local-build variable is set, CRATE
     * on the cargo channel (which builds from crates anyway), RELEASE otherwise.
     */
    public static PackageSource byDefault(boolean localSet, Channel channel) {
        if (localSet) return LOCAL;
        return channel == Channel.CARGO ? CRATE : RELEASE;
    }

    /**
     * What --client-source asked for: all applies to every client with several
     * sources, byClient overrides it for one client.
     */
    public record Choice(Optional<PackageSource> all, Map<String, PackageSource> byClient) {
        public static final Choice DEFAULT = new Choice(Optional.empty(), Map.of());

        public Choice {
            byClient = Map.copyOf(byClient);
        }

        /**
         * Parses "SOURCE" and "CLIENT=SOURCE" items, checking each client name
         * against the registered clients that have several sources; a bad item is
         * a UsageError naming the valid ones.
         */
        public static Choice parse(List<String> items) {
            List<String> choosable = Clients.registered().stream().filter(c -> !c.packageSources().isEmpty()).map(Client::name).toList();
            Optional<PackageSource> all = Optional.empty();
            Map<String, PackageSource> byClient = new LinkedHashMap<>();
            for (String item : items) {
                String[] parts = item.strip().split("=", 2);
                PackageSource source = of(parts[parts.length - 1], item);
                if (parts.length == 1) {
                    if (all.isPresent() && all.get() != source) {
                        throw new UsageError("--client-source given twice for every client, as " + all.get().id() + " and " + source.id());
                    }
                    all = Optional.of(source);
                    continue;
                }
                String client = parts[0].strip();
                if (!choosable.contains(client)) {
                    throw new UsageError("--client-source " + item + ": " + (Clients.byName().containsKey(client) ? client + " has one source only"
                            : "unknown client '" + client + "'") + " (clients with a choice: " + String.join(", ", choosable) + ")");
                }
                PackageSource before = byClient.put(client, source);
                if (before != null && before != source) {
                    throw new UsageError("--client-source " + client + " given twice, as " + before.id() + " and " + source.id());
                }
            }
            return new Choice(all, byClient);
        }

        private static PackageSource of(String id, String item) {
            return Stream.of(values()).filter(s -> s.id().equals(id.strip().toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> new UsageError("--client-source " + item + ": unknown source '" + id.strip() + "' (valid: "
                            + String.join(", ", Stream.of(values()).map(PackageSource::id).toList()) + ")"));
        }

        /** What was asked for client, if anything. */
        public Optional<PackageSource> of(String client) {
            return Optional.ofNullable(byClient.get(client)).or(() -> all);
        }

        /** The items again, as a command line gives them: for a rerun command. */
        public List<String> items() {
            List<String> items = new ArrayList<>();
            all.ifPresent(s -> items.add(s.id()));
            byClient.forEach((client, source) -> items.add(client + "=" + source.id()));
            return items;
        }
    }
}
