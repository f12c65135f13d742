import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.tomlj.Toml;

import lib.core.UsageError;
import lib.relay.RelayConfig;

class RelayConfigTest {
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
}
