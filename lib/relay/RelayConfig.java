package lib.relay;

//DEPS org.tomlj:tomlj:2.2.0
//FILES smoke.toml=../../smoke.toml

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import lib.core.Resources;
import lib.core.UsageError;

/**
 * The committed relay config, checked and moved to a free port. The relay rejects
 * unknown keys itself; here we check what the harness relies on: a QUIC bind
 * address and an HTTP listen address on the same port (the fingerprint bootstrap
 * and readiness check use HTTP, the clients QUIC).
 */
public record RelayConfig(String text, String host, int port) {
    public static final String DEFAULT = "smoke.toml";
    private static final Pattern ADDRESS = Pattern.compile("(.+):(\\d+)");
    /** An [auth] or [auth.*] table header and everything up to the next table. */
    private static final Pattern AUTH_TABLE = Pattern.compile("(?ms)^\\[auth(\\.[^\\]]*)?\\][^\\n]*\\n.*?(?=^\\[|\\z)");

    /**
     * The relay config given with --config; without one, smoke.toml in the current
     * directory, else the copy built into the script (a catalog run from anywhere).
     */
    public static RelayConfig load(Path file) {
        if (file == null) {
            Path local = Path.of(DEFAULT);
            if (!Files.exists(local)) return parse(new String(Resources.bytes(DEFAULT), java.nio.charset.StandardCharsets.UTF_8), DEFAULT + " (built in)");
            file = local;
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UsageError("cannot read relay config " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public static RelayConfig parse(String text, String source) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw new UsageError(source + " is not valid TOML: " + toml.errors().get(0).toString());
        }
        String quic = stringAt(toml, source, "listen.bind", "server.listen", "server.bind");
        String http = stringAt(toml, source, "web.http.listen");
        Matcher quicAddress = address(quic, source);
        Matcher httpAddress = address(http, source);
        if (!quicAddress.group(2).equals(httpAddress.group(2))) {
            throw new UsageError(source + ": the QUIC bind address and web.http.listen must use the same port");
        }
        return new RelayConfig(text, httpAddress.group(1), Integer.parseInt(httpAddress.group(2)));
    }

    /** The same config listening on port instead; both listeners move together. */
    public RelayConfig onPort(int newPort) {
        String from = Pattern.quote("\"" + host + ":" + port + "\"");
        String moved = text.replaceAll(from, "\"" + host + ":" + newPort + "\"");
        return new RelayConfig(moved, host, newPort);
    }

    /**
     * The same config with its [auth] tables replaced: the relay (0.15 and later)
     * asks the auth server at url to admit each session and grants no public path,
     * so only a token that server accepts gets in.
     */
    public RelayConfig withAuthUrl(String url) {
        String withoutAuth = AUTH_TABLE.matcher(text).replaceAll("");
        return new RelayConfig(withoutAuth.stripTrailing() + "\n\n[auth]\nurl = \"" + url + "\"\n", host, port);
    }

    public String httpBase() {
        return "http://" + host + ":" + port;
    }

    /** A port that is free right now on host for both TCP (HTTP) and UDP (QUIC). */
    @SuppressWarnings("try") // the UDP socket is opened only to prove the port is free
    public static int freePort(String host) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(host, port))) {
                    return port;
                } catch (IOException busyOverUdp) {
                    // Try another: this one is taken for QUIC.
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a socket on " + host + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP on " + host);
    }

    /** The first of keys that is set: the current spelling first, then the ones older relays read. */
    private static String stringAt(TomlParseResult toml, String source, String... keys) {
        for (String key : keys) if (toml.isString(key)) return toml.getString(key);
        throw new UsageError(source + ": missing " + keys[0] + " (host:port)");
    }

    private static Matcher address(String value, String source) {
        Matcher matcher = ADDRESS.matcher(value);
        if (!matcher.matches()) throw new UsageError(source + ": '" + value + "' is not host:port");
        return matcher;
    }
}
