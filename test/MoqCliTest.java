import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import lib.delivery.MoqCli;

class MoqCliTest {
    @Test
    void theConnectFlagFollowsWhatTheBinaryReads() {
        assertEquals("--connect", MoqCli.connectFlag("MoQ:\n      --connect <URL>\n      --connect-timeout <DUR>\n"));
        assertEquals("--client-connect", MoqCli.connectFlag("Options:\n      --client-connect <URL>\n      --client-connect-timeout <D>\n"));
        assertEquals("--client-connect", MoqCli.connectFlag("      --client-connect <URL>\n      --connect-timeout <D>\n"));
        assertEquals("--connect", MoqCli.connectFlag(""), "unknown help text: assume the current spelling");
    }
}
