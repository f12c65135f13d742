package lib.clients;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import lib.clients.Client.Role;
import lib.core.Availability;
import lib.core.Concurrently;
import lib.core.InstallLogs;
import lib.core.Secrets;
import lib.core.UsageError;

/**
 * The registry: every class in this package whose name ends in "Client" and that
 * implements Client is a client, found on the classpath, so adding one touches
 * only its own class and its clients/<name>/ folder. Matrix order is order(),
 * then name.
 */
public final class Clients {
    private static volatile List<Client> registered;

    private Clients() {}

    /** Every registered client, in matrix order. */
    public static List<Client> registered() {
        if (registered == null) registered = discover();
        return registered;
    }

    public static Map<String, Client> byName() {
        Map<String, Client> clients = new LinkedHashMap<>();
        registered().forEach(c -> clients.put(c.name(), c));
        return clients;
    }

    private static List<Client> discover() {
        List<Client> found = new ArrayList<>();
        for (String name : classNames()) {
            try {
                Class<?> type = Class.forName(Clients.class.getPackageName() + "." + name);
                if (Client.class.isAssignableFrom(type) && !type.isInterface() && !java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
                    found.add((Client) type.getConstructor().newInstance());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("client class " + name + " cannot be registered: " + e, e);
            }
        }
        found.sort(Comparator.comparingInt(Client::order).thenComparing(Client::name));
        return List.copyOf(found);
    }

    /** Simple names of the *Client classes beside this one, from the jar or directory it was loaded from. */
    private static List<String> classNames() {
        String dir = Clients.class.getPackageName().replace('.', '/');
        try {
            Path root = Path.of(Clients.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(root)) return list(root.resolve(dir));
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                return list(jar.getPath(dir));
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the registered clients: " + e.getMessage(), e);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("Client.class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length())).sorted().toList();
        }
    }

    /**
     * Installs each client once, all at once: installs wait mostly on registries and
     * compilers, each with its own logs. A client that throws is broken, and only its
     * cells fail. Bad input (a missing binary the user pointed us at) still ends the run,
     * once every install has ended: the first such error in the order given.
     */
    public static Map<Client, Client.Installed> install(List<Client> clients, ClientContext context) {
        List<Supplier<Client.Installed>> installs = clients.stream().<Supplier<Client.Installed>>map(client -> () -> installOne(client, context)).toList();
        List<Client.Installed> results = Concurrently.all("install", installs);
        Map<Client, Client.Installed> installed = new LinkedHashMap<>();
        for (int i = 0; i < clients.size(); i++) {
            Client client = clients.get(i);
            System.err.println(client.name() + ": " + Secrets.redact(results.get(i).availability().toString()));
            installed.put(client, results.get(i));
        }
        return installed;
    }

    private static Client.Installed installOne(Client client, ClientContext context) {
        if (!client.platforms().contains(Platform.current())) return Client.notInstalled(unsupported(client));
        InstallLogs.Collected<Client.Installed> collected = InstallLogs.collect(() -> {
            try {
                return client.install(context);
            } catch (UsageError e) {
                throw e;
            } catch (RuntimeException e) {
                return Client.notInstalled(Availability.broken(client.name() + " failed to install: " + e.getMessage()));
            }
        });
        Client.Installed installed = collected.value();
        if (installed.availability().ready()) return installed;
        installed.close();
        return Client.NotInstalled.of(installed, collected.logs());
    }

    /** check(), but a platform the client does not declare is unsupported without asking it. */
    public static Availability check(Client client, ClientContext context) {
        if (!client.platforms().contains(Platform.current())) return unsupported(client);
        try {
            return client.check(context);
        } catch (UsageError e) {
            return Availability.unavailable(e.getMessage());
        }
    }

    private static Availability unsupported(Client client) {
        return Availability.unsupported(client.name() + " runs on " + String.join(", ",
                client.platforms().stream().map(Platform::id).sorted().toList()) + ", not " + Platform.current().id());
    }

    /** The --list table: every known client, its roles, its source, and whether it can run here. */
    public static String describe(List<Client> known, ClientContext context) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("client", "roles", "source", "here"));
        for (Client client : known) rows.add(List.of(client.name(), roles(client), client.source(context), check(client, context).toString()));
        // Each column as wide as its longest entry, so no source runs into its row's "here".
        int[] widths = new int[3];
        for (List<String> row : rows) for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row.get(i).length());
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) table.append(String.format("%-" + widths[i] + "s  ", row.get(i)));
            table.append(row.get(3)).append(System.lineSeparator());
        }
        return table.toString();
    }

    public static String roles(Client client) {
        return String.join("+", client.roles().stream().sorted().map(r -> r.name().toLowerCase()).toList());
    }

    /** Valid --publishers names for picocli's ${COMPLETION-CANDIDATES} in --help: the clients that publish. */
    public static final class PublisherNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return withRole(Role.PUBLISH).stream().map(Client::name).iterator();
        }
    }

    /** Valid --subscribers names for picocli's ${COMPLETION-CANDIDATES} in --help: the clients that subscribe. */
    public static final class SubscriberNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return withRole(Role.SUBSCRIBE).stream().map(Client::name).iterator();
        }
    }

    private static List<Client> withRole(Role role) {
        return registered().stream().filter(c -> c.roles().contains(role)).toList();
    }

    /**
     * Checks names against the known clients and role; the error names the valid
     * ones. An empty request means every client with the role (--full).
     */
    public static List<Client> select(List<String> names, Role role, String option) {
        List<Client> withRole = withRole(role);
        if (names.isEmpty()) return withRole;
        String valid = String.join(", ", withRole.stream().map(Client::name).toList());
        Map<String, Client> known = byName();
        List<Client> chosen = new ArrayList<>();
        for (String name : names) {
            Client client = known.get(name.strip());
            if (client == null) throw new UsageError("unknown client '" + name + "' in " + option + " (valid: " + valid + ")");
            if (!client.roles().contains(role)) {
                throw new UsageError(name + " cannot " + role.name().toLowerCase() + " (valid for " + option + ": " + valid + ")");
            }
            if (!chosen.contains(client)) chosen.add(client);
        }
        return chosen;
    }
}
