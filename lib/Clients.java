package lib;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lib.Client.Role;
import lib.clients.PlannedClient;
import lib.clients.RustClient;

/** Every client the harness knows, in matrix order. */
public final class Clients {
    private static final Set<Role> BOTH = Set.of(Role.PUBLISH, Role.SUBSCRIBE);
    private static final Set<Role> SUBSCRIBE_ONLY = Set.of(Role.SUBSCRIBE);

    private Clients() {}

    public static Map<String, Client> all(Channel channel) {
        Map<String, Client> clients = new LinkedHashMap<>();
        for (Client client : List.of(
                new RustClient(channel),
                new PlannedClient("python", BOTH),
                new PlannedClient("go", BOTH),
                new PlannedClient("js-vite", BOTH),
                new PlannedClient("js-esbuild", BOTH),
                new PlannedClient("js-jsdelivr", BOTH),
                new PlannedClient("js-native-node", SUBSCRIBE_ONLY),
                new PlannedClient("js-native-bun", SUBSCRIBE_ONLY),
                new PlannedClient("swift", SUBSCRIBE_ONLY),
                new PlannedClient("kotlin", SUBSCRIBE_ONLY),
                new PlannedClient("c", SUBSCRIBE_ONLY),
                new PlannedClient("gst", SUBSCRIBE_ONLY))) {
            clients.put(client.name(), client);
        }
        return clients;
    }

    /**
     * Installs or locates each client once; a client that throws is broken, and only
     * its cells fail. Bad input (a missing binary the user pointed us at) still ends the run.
     */
    public static Map<Client, Availability> prepare(List<Client> clients, Workspace workspace) {
        Map<Client, Availability> prepared = new LinkedHashMap<>();
        for (Client client : clients) {
            Availability availability;
            try {
                availability = client.prepare(workspace);
            } catch (UsageError e) {
                throw e;
            } catch (RuntimeException e) {
                availability = Availability.broken(client.name() + " failed to install: " + e.getMessage());
            }
            System.err.println(client.name() + ": " + Secrets.redact(availability.toString()));
            prepared.put(client, availability);
        }
        return prepared;
    }

    /** The --list table: every known client, its roles, and whether it can run here. */
    public static String describe(Map<String, Client> known) {
        StringBuilder table = new StringBuilder(String.format("%-16s %-18s %s%n", "client", "roles", "availability"));
        for (Client client : known.values()) {
            String roles = String.join("+", client.roles().stream().sorted().map(r -> r.name().toLowerCase()).toList());
            table.append(String.format("%-16s %-18s %s%n", client.name(), roles, client.check()));
        }
        return table.toString();
    }

    /** Valid names for picocli's ${COMPLETION-CANDIDATES} in --help. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return new ArrayList<>(all(Channel.PATH).keySet()).iterator();
        }
    }

    /**
     * Checks names against the known clients and role; the error names the valid
     * ones. An empty request means every client with the role (--full).
     */
    public static List<Client> select(Map<String, Client> known, List<String> names, Role role, String option) {
        if (names.isEmpty()) {
            return known.values().stream().filter(c -> c.roles().contains(role)).toList();
        }
        List<String> withRole = known.values().stream().filter(c -> c.roles().contains(role)).map(Client::name).toList();
        List<Client> chosen = new ArrayList<>();
        for (String name : names) {
            Client client = known.get(name.strip());
            if (client == null) {
                throw new UsageError("unknown client '" + name + "' in " + option + " (valid: " + String.join(", ", withRole) + ")");
            }
            if (!client.roles().contains(role)) {
                throw new UsageError(name + " cannot " + role.name().toLowerCase() + " (valid for " + option + ": "
                        + String.join(", ", withRole) + ")");
            }
            if (!chosen.contains(client)) chosen.add(client);
        }
        return chosen;
    }
}
