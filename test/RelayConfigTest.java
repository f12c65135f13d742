import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;

import lib.core.Cli;
import lib.core.UsageError;
import lib.relay.RelayConfig;

// Swaps System.err.
@Isolated
class RelayConfigTest {
    /** A relay config in the current spelling on 127.0.0.1:4443, with what a user might add around it. */
    private static final String FULL = """
            # a user's relay config
            [log]
            level = 'debug'

            [listen]
            bind = '127.0.0.1:4443' # QUIC
            tls.generate = ['localhost', '127.0.0.1']

            [web.http]
            listen = '127.0.0.1:4443'

            [internal]
            listen = "127.0.0.1:9101"

            [stats]
            enabled = true
            node = "127.0.0.1:4443"

            [cache]
            capacity = 1048576

            [auth]
            public = "**"
            """;

    @TempDir Path dir;

    @Test
    void committedConfigIsAnonymousLocalhostOnOnePort() {
        RelayConfig config = RelayConfig.load(Path.of("smoke.toml"));
        assertEquals("127.0.0.1", config.host());
        assertEquals(4443, config.port());
        assertEquals("**", Toml.parse(config.text()).getString("auth.public"));
    }

    @Test
    void movingToAFreePortMovesBothListenersAndNothingElse() {
        RelayConfig config = RelayConfig.load(Path.of("smoke.toml"));
        int port = RelayConfig.freePort(config.host());
        RelayConfig moved = config.onPort(port);
        var toml = Toml.parse(moved.text());
        assertEquals("127.0.0.1:" + port, toml.getString("listen.bind"));
        assertEquals("127.0.0.1:" + port, toml.getString("web.http.listen"));
        assertEquals(Toml.parse(config.text()).getArray("listen.tls.generate").toList(), toml.getArray("listen.tls.generate").toList());
        assertFalse(moved.text().contains("4443\""));
        assertEquals("http://127.0.0.1:" + port, moved.httpBase());
    }

    @Test
    void theBuiltInConfigIsTheCommittedOne() throws Exception {
        assertEquals(java.nio.file.Files.readString(Path.of("smoke.toml")),
                new String(lib.core.Resources.bytes("smoke.toml"), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void freePortsDiffer() {
        assertNotEquals(RelayConfig.freePort("127.0.0.1"), 0);
    }

    @Test
    void theSpellingOfOlderRelaysIsReadToo() {
        RelayConfig old = RelayConfig.parse("[server]\nlisten = \"127.0.0.1:4443\"\n[web.http]\nlisten = \"127.0.0.1:4443\"\n", "old.toml");
        assertEquals(4443, old.port());
        assertTrue(old.onPort(5000).text().contains("[server]\nlisten = \"127.0.0.1:5000\""));
    }

    @Test
    void badTomlIsAUsageError() {
        UsageError e = assertThrows(UsageError.class, () -> RelayConfig.parse("[server\nlisten = 1", "bad.toml"));
        assertTrue(e.getMessage().startsWith("bad.toml is not valid TOML"), e.getMessage());
    }

    @Test
    void missingOrMismatchedListenersAreUsageErrors() {
        assertThrows(UsageError.class, () -> RelayConfig.parse("[server]\nlisten = \"127.0.0.1:1\"\n", "x"));
        assertThrows(UsageError.class, () -> RelayConfig.parse(
                "[server]\nlisten = \"127.0.0.1:1\"\n[web.http]\nlisten = \"127.0.0.1:2\"\n", "x"));
        assertThrows(UsageError.class, () -> RelayConfig.parse(
                "[server]\nlisten = \"nowhere\"\n[web.http]\nlisten = \"nowhere\"\n", "x"));
        assertThrows(UsageError.class, () -> RelayConfig.load(Path.of("no-such-config.toml")));
    }

    @Test
    void singleQuotedAddressesMoveToo() {
        RelayConfig moved = RelayConfig.parse(FULL, "full.toml").onPort(5000);
        TomlParseResult toml = Toml.parse(moved.text());
        assertEquals("127.0.0.1:5000", toml.getString("listen.bind"));
        assertEquals("127.0.0.1:5000", toml.getString("web.http.listen"));
        assertEquals(5000, moved.port());
        assertEquals(5000, RelayConfig.parse(moved.text(), "moved").port());
    }

    @Test
    void onlyTheListenersMoveEveryOtherKeyIsKept() {
        TomlParseResult before = Toml.parse(FULL);
        TomlParseResult after = Toml.parse(RelayConfig.parse(FULL, "full.toml").onPort(5000).text());
        Set<List<String>> moved = Set.of(List.of("listen", "bind"), List.of("web", "http", "listen"));
        assertEquals(before.keyPathSet(false), after.keyPathSet(false));
        for (List<String> key : before.keyPathSet(false)) {
            if (moved.contains(key)) continue;
            assertEquals(plain(before.get(key)), plain(after.get(key)), String.join(".", key));
        }
        // A string that merely looks like the listener is not one: stats.node is no socket.
        assertEquals("127.0.0.1:4443", after.getString("stats.node"));
        assertEquals("127.0.0.1:9101", after.getString("internal.listen"));
    }

    private static Object plain(Object value) {
        return value instanceof TomlArray array ? array.toList() : value;
    }

    @Test
    void theOutboundSocketIsPinnedToLoopbackInTheRelaysOwnSpelling() {
        RelayConfig current = RelayConfig.load(Path.of("smoke.toml")).withLoopbackConnectBind();
        assertEquals("127.0.0.1:0", Toml.parse(current.text()).getString("connect.bind"));
        assertFalse(Toml.parse(current.text()).contains("client"), "relays since 0.15 refuse [client]: " + current.text());
        RelayConfig older = RelayConfig.parse("[server]\nlisten = \"127.0.0.1:4443\"\n[web.http]\nlisten = \"127.0.0.1:4443\"\n", "old.toml");
        assertEquals("127.0.0.1:0", Toml.parse(older.withLoopbackConnectBind().text()).getString("client.bind"));
        RelayConfig v6 = RelayConfig.parse("[listen]\nbind = \"[::1]:4443\"\n[web.http]\nlisten = \"[::1]:4443\"\n", "v6.toml");
        assertEquals("[::1]", v6.host());
        assertEquals("http://[::1]:4443", v6.httpBase());
        assertEquals("[0:0:0:0:0:0:0:1]:0", Toml.parse(v6.withLoopbackConnectBind().text()).getString("connect.bind"));
        String own = "[listen]\nbind = \"127.0.0.1:1\"\n[web.http]\nlisten = \"127.0.0.1:1\"\n[connect]\nbind = \"127.0.0.1:7000\"\n";
        assertEquals("127.0.0.1:7000", Toml.parse(RelayConfig.parse(own, "own").withLoopbackConnectBind().text()).getString("connect.bind"));
    }

    @Test
    void anythingBoundOffLoopbackIsRefusedNamingTheKey() {
        String base = "[listen]\nbind = \"%s\"\n[web.http]\nlisten = \"%s\"\n";
        assertRefused(String.format(base, "0.0.0.0:4443", "127.0.0.1:4443"), "listen.bind = '0.0.0.0:4443' is not a loopback address");
        assertRefused(String.format(base, "127.0.0.1:4443", "[::]:4443"), "web.http.listen = '[::]:4443' is not a loopback address");
        String loopback = String.format(base, "127.0.0.1:4443", "127.0.0.1:4443");
        assertRefused(loopback + "[internal]\nlisten = \"0.0.0.0:9101\"\n", "internal.listen = '0.0.0.0:9101'");
        assertRefused(loopback + "[connect]\nbind = \"[::]:0\"\n", "connect.bind = '[::]:0'");
        assertRefused(loopback + "[iroh]\nbind_v4 = \"0.0.0.0:0\"\n", "iroh.bind_v4 = '0.0.0.0:0'");
        assertRefused(loopback + "[web.https]\nlisten = \"192.0.2.1:443\"\n", "web.https.listen = '192.0.2.1:443' is not a loopback address (192.0.2.1)");
        assertRefused(String.format(base, "nowhere.invalid:4443", "nowhere.invalid:4443"), "listen.bind = 'nowhere.invalid:4443': host nowhere.invalid does not resolve");
        assertRefused(loopback + "[connect]\nbind = 7\n", "connect.bind must be a \"host:port\" string");
        assertRefused(String.format(base, "127.0.0.1:99999", "127.0.0.1:99999"), "listen.bind = '127.0.0.1:99999' is not host:port");
        // Loopback by name, and a Unix socket's bind (a path, not an address), are fine.
        assertEquals(4443, RelayConfig.parse(String.format(base, "localhost:4443", "localhost:4443"), "x").port());
        assertEquals(4443, RelayConfig.parse(loopback + "[listen.unix]\nbind = \"/run/moq.sock\"\n", "x").port());
    }

    private static void assertRefused(String config, String expected) {
        UsageError e = assertThrows(UsageError.class, () -> RelayConfig.parse(config, "x.toml"));
        assertTrue(e.getMessage().startsWith("x.toml: ") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void offLoopbackConfigIsExit2OnTheCommandLine() throws Exception {
        Path config = Files.writeString(dir.resolve("public.toml"), "[listen]\nbind = \"0.0.0.0:4443\"\n[web.http]\nlisten = \"0.0.0.0:4443\"\n");
        assertExit2(config.toString(), "listen.bind = '0.0.0.0:4443' is not a loopback address");
    }

    @Test
    void anUnboundedOrHugeConfigIsRefusedNamingTheLimit() throws Exception {
        assertExit2("/dev/zero", "relay config /dev/zero is larger than 1 MiB");
        Path huge = Files.writeString(dir.resolve("huge.toml"), "# padding\n".repeat(200_000) + Files.readString(Path.of("smoke.toml")));
        UsageError e = assertThrows(UsageError.class, () -> RelayConfig.load(huge));
        assertEquals("relay config " + huge + " is larger than 1 MiB", e.getMessage());
        Path latin1 = Files.write(dir.resolve("latin1.toml"), new byte[] {'#', ' ', (byte) 0xe9, '\n'});
        assertEquals("relay config " + latin1 + " is not UTF-8 text", assertThrows(UsageError.class, () -> RelayConfig.load(latin1)).getMessage());
    }

    private static void assertExit2(String config, String expected) {
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Cli.execute(new smoke(), "--config", config);
        } finally {
            System.setErr(realErr);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, said);
        assertTrue(said.contains(expected), said);
    }

    @Test
    void thousandsOfCommentAndBlankLinesParseQuickly() {
        String smoke = RelayConfig.load(Path.of("smoke.toml")).text();
        String padded = "# a comment\n".repeat(2000) + "\n".repeat(2000) + smoke + "\n#\n".repeat(2000);
        // tomlj took 45 s for 2000 comment lines in a row; the bound is generous, the fix makes it milliseconds.
        RelayConfig config = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> RelayConfig.parse(padded, "padded.toml").onPort(5000));
        assertEquals(5000, config.port());
    }

    @Test
    void parseErrorsNameTheLineAsWritten() {
        String config = "# comment\n".repeat(300) + "\n\n\n[listen\nbind = 1\n";
        UsageError e = assertThrows(UsageError.class, () -> RelayConfig.parse(config, "bad.toml"));
        assertTrue(e.getMessage().startsWith("bad.toml is not valid TOML: ") && e.getMessage().endsWith("(line 304, column 8)"), e.getMessage());
        String twice = "# c\n# c\n[listen]\nbind = '127.0.0.1:1'\n# c\n\n\n[listen]\n";
        assertEquals("x.toml is not valid TOML: listen previously defined at line 3, column 1 (line 8, column 1)",
                assertThrows(UsageError.class, () -> RelayConfig.parse(twice, "x.toml")).getMessage());
    }

    @Test
    void multiLineStringsKeepTheirCommentLikeAndBlankLines() {
        String config = """
                [listen]
                bind = "127.0.0.1:4443"
                [web.http]
                listen = "127.0.0.1:4443"
                [notes]
                basic = \"""
                # not a comment

                \\\""" still inside
                end\"""
                literal = '''
                # nor this


                '''
                quoted = '\"""'
                escaped = "x\\"\\"\\"y"
                # a real comment
                after = 1
                """;
        TomlParseResult toml = Toml.parse(RelayConfig.parse(config, "notes.toml").onPort(5000).text());
        assertEquals("# not a comment\n\n\"\"\" still inside\nend", toml.getString("notes.basic"));
        assertEquals("# nor this\n\n\n", toml.getString("notes.literal"));
        assertEquals("\"\"\"", toml.getString("notes.quoted"));
        assertEquals("x\"\"\"y", toml.getString("notes.escaped"));
        assertEquals(1L, toml.getLong("notes.after"));
    }

    @Test
    void authIsReplacedStructurallyWhereverItWasWritten() {
        String inline = "auth = { public = \"**\" }\n[listen]\nbind = '127.0.0.1:4443'\n[web.http]\nlisten = '127.0.0.1:4443'\n";
        TomlParseResult keyed = Toml.parse(RelayConfig.parse(inline, "inline.toml").withAuthUrl("http://127.0.0.1:4440/").text());
        assertTrue(keyed.errors().isEmpty(), keyed.errors().toString());
        assertEquals(Map.of("url", "http://127.0.0.1:4440/"), keyed.getTable("auth").toMap());
        assertEquals("127.0.0.1:4443", keyed.getString("web.http.listen"));
        TomlParseResult full = Toml.parse(RelayConfig.parse(FULL, "full.toml").withAuthUrl("http://127.0.0.1:4440/").text());
        assertEquals(Map.of("url", "http://127.0.0.1:4440/"), full.getTable("auth").toMap());
        assertEquals(1048576L, full.getLong("cache.capacity"));
    }
}
