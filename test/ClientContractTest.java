import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import lib.clients.Browser;
import lib.clients.Client;
import lib.clients.Client.Role;
import lib.clients.Clients;

/**
 * The same cases for every registered client, so a client is tested the moment
 * its class exists: it declares itself completely, --list can say whether it runs
 * here without installing anything, and a broken or unreachable toolchain makes
 * its cells red or unavailable with a reason, never green and never a crash of
 * the harness.
 */
class ClientContractTest {
    static final Path BROKEN_TOOLS = Path.of("test/fakes/broken-tools").toAbsolutePath();

    @TempDir Path dir;

    @Test
    void everyClientDeclaresItselfCompletely() {
        Set<String> names = new HashSet<>();
        for (Client client : Clients.registered()) {
            assertTrue(client.name().matches("[a-z][a-z0-9-]*"), client.name());
            assertTrue(names.add(client.name()), "registered twice: " + client.name());
            assertFalse(client.roles().isEmpty(), client.name() + " has no role");
            assertFalse(client.source().isBlank(), client.name() + " does not say what it installs");
            assertFalse(client.platforms().isEmpty(), client.name() + " runs nowhere");
        }
        assertTrue(names.contains("rust"));
    }

    /** The README's support table is the registry, row for row. */
    @Test
    void theReadmeTableListsExactlyTheRegisteredClients() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
                .dropWhile(l -> !l.startsWith("## Clients")).skip(1).takeWhile(l -> !l.startsWith("## "))
                .filter(l -> l.startsWith("| `")).map(l -> l.substring(3, l.indexOf('`', 3))).toList();
        assertEquals(Clients.registered().stream().map(Client::name).toList(), rows);
    }

    /** With nothing on PATH, --list still answers, and names why each client can't run. */
    @Test
    void listAnswersForEveryClientWithAnEmptyPath() throws Exception {
        Fakes.Outcome outcome = Fakes.run("smoke", null, Map.of("PATH", dir.toString()), Duration.ofSeconds(60), "--list");
        assertEquals(0, outcome.exitCode(), outcome.all());
        for (Client client : Clients.registered()) {
            String row = outcome.stdout().lines().filter(l -> l.startsWith(client.name() + " ")).findFirst().orElse("");
            assertTrue(row.matches(".*(unavailable|unsupported here): .+"), "row for " + client.name() + ": " + row);
        }
    }

    /**
     * Every package tool on PATH answers "no such package" or is broken: each
     * client's own cells must be red (or unavailable/unsupported), with a reason,
     * and the harness itself must not fail.
     */
    @TestFactory
    Stream<DynamicTest> aBrokenToolchainNeverPaintsACellGreen() throws IOException {
        return brokenToolchainCases(client -> !(client instanceof Browser));
    }

    /** The same for the browser clients, which launch Debian's Chromium before they reach a package tool. */
    @TestFactory
    @Tag("toolchain")
    Stream<DynamicTest> aBrokenToolchainNeverPaintsABrowserCellGreen() throws IOException {
        return brokenToolchainCases(client -> client instanceof Browser);
    }

    private Stream<DynamicTest> brokenToolchainCases(Predicate<Client> which) throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        List<Client> clients = Clients.registered().stream().filter(c -> !c.name().equals("rust") && which.test(c)).toList();
        List<String> publishers = names(clients.stream().filter(c -> !c.roles().contains(Role.SUBSCRIBE)).toList(), "rust");
        List<String> subscribers = names(clients.stream().filter(c -> c.roles().contains(Role.SUBSCRIBE)).toList(), "rust");
        // One run for them all: each installs beside the others, as in a real run, and must fail only its own cells.
        FutureTask<Fakes.Outcome> run = new FutureTask<>(() -> Fakes.smoke(dir.resolve("out"),
                Map.of("PATH", BROKEN_TOOLS + ":" + System.getenv("PATH"), "MOQ_SMOKE_CACHE", dir.resolve("cache").toString(),
                        // The CDN variant's CDN is unreachable too, without asking the network.
                        "SMOKE_JSDELIVR", "http://127.0.0.1:" + closed),
                "--timeout", "3", "--publishers", String.join(",", publishers), "--subscribers", String.join(",", subscribers)));
        List<DynamicTest> tests = new ArrayList<>();
        for (Client client : clients) {
            tests.add(DynamicTest.dynamicTest(client.name(), () -> {
                run.run();
                Fakes.Outcome outcome = run.get();
                assertNotEquals(3, outcome.exitCode(), "the harness itself failed: " + outcome.all());
                String key = client.roles().contains(Role.SUBSCRIBE) ? "rust→" + client.name() : client.name() + "→rust";
                JsonNode cell = null;
                for (JsonNode one : outcome.results().get("cells")) if (one.get("cell").asText().equals(key)) cell = one;
                assertNotNull(cell, key + " is not among the cells: " + outcome.all());
                assertNotEquals("pass", cell.get("status").asText(), cell.toString());
                assertFalse(cell.get("reason").asText().isBlank(), cell.toString());
                assertFalse(cell.get("reason").asText().matches(".*(Exception|NullPointer).*"), "a harness error as a reason: " + cell);
            }));
        }
        return tests.stream();
    }

    /** The names of clients, or the fallback alone when there are none. */
    private static List<String> names(List<Client> clients, String fallback) {
        return clients.isEmpty() ? List.of(fallback) : clients.stream().map(Client::name).toList();
    }

    @Test
    void theRustChannelWithABrokenCargoIsRedNamingCargosError() throws Exception {
        Fakes.Outcome outcome = Fakes.run("smoke", dir.resolve("out"), Map.of("PATH", BROKEN_TOOLS + ":" + System.getenv("PATH"),
                "MOQ_SMOKE_CACHE", dir.resolve("cache").toString()), Duration.ofSeconds(60), "--channel", "cargo", "--timeout", "3");
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode cell = outcome.results().get("cells").get(0);
        assertEquals("fail", cell.get("status").asText());
        assertTrue(cell.get("reason").asText().contains("cargo is broken in this test"), cell.toString());
    }
}
