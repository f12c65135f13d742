import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import lib.clients.RustClient;

class RustClientTest {
    @Test
    void theConnectFlagFollowsWhatTheBinaryReads() {
        assertEquals("--connect", RustClient.connectFlag("MoQ:\n      --connect <URL>\n      --connect-timeout <DUR>\n"));
        assertEquals("--client-connect", RustClient.connectFlag("Options:\n      --client-connect <URL>\n      --client-connect-timeout <D>\n"));
        assertEquals("--client-connect", RustClient.connectFlag("      --client-connect <URL>\n      --connect-timeout <D>\n"));
        assertEquals("--connect", RustClient.connectFlag(""), "unknown help text: assume the current spelling");
    }
}
