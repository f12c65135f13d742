package lib.relay;

//DEPS org.tomlj:tomlj:2.2.0
//FILES smoke.toml=../../smoke.toml

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tomlj.MutableTomlTable;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

import lib.core.Resources;
import lib.core.UsageError;

/**
 * The committed relay config, checked and moved to a free port. The relay rejects
 * unknown keys itself; here we check what the harness relies on: a QUIC bind
 * address and an HTTP listen address on the same port (the fingerprint bootstrap
 * and readiness check use HTTP, the clients QUIC), and every socket the relay
 * would bind on loopback, so a smoke run is never reachable from the network.
 * Rewrites go through the parsed tree (tomlj keeps the rest of the text as
 * written), never through text replacement.
 */
public record RelayConfig(String text, String host, int port) {
    public static final String DEFAULT = "smoke.toml";
    /** Far above any real relay config; bounds what --config can make the harness read and parse. */
    public static final int MAX_BYTES = 1 << 20;
    /** Where the QUIC listener is set: the current spelling first, then the ones relays up to 0.14 read. */
    private static final List<List<String>> QUIC_KEYS = List.of(List.of("listen", "bind"), List.of("server", "listen"), List.of("server", "bind"));
    private static final List<String> HTTP_KEY = List.of("web", "http", "listen");
    /**
     * Keys whose value is a socket the relay binds: listeners (listen.bind, web.http.listen,
     * internal.listen, ...), the outbound cluster socket (connect.bind) and iroh's sockets.
     */
    private static final Set<String> ADDRESS_KEYS = Set.of("listen", "bind", "bind_v4", "bind_v6");
    /** Under these tables a bind is a socket path, not an address. */
    private static final Set<String> PATH_TABLES = Set.of("unix");
    /** host:port, the host a name, an IPv4 literal or a bracketed IPv6 literal (the relay reads Rust socket addresses). */
    private static final Pattern LINE = Pattern.compile("\\bline (\\d+)");
    private static final Pattern ADDRESS = Pattern.compile("(\\[[^\\]]+\\]|[^:\\[\\]]+):(\\d{1,5})");

    /**
     * The relay config given with --config; without one, smoke.toml in the current
     * directory, else the copy built into the script (a catalog run from anywhere).
     *
     * @throws UsageError if the file cannot be read, is over {@link #MAX_BYTES} or not UTF-8, or fails {@link #parse}
     */
    public static RelayConfig load(Path file) {
        if (file == null) {
            Path local = Path.of(DEFAULT);
            if (!Files.exists(local)) return parse(new String(Resources.bytes(DEFAULT), StandardCharsets.UTF_8), DEFAULT + " (built in)");
            file = local;
        }
        byte[] bytes;
        // Read at most one byte past the limit: /dev/zero or a huge file must not fill the heap first.
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UsageError("cannot read relay config " + file + ": " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) throw tooLarge(file.toString());
        try {
            return parse(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString(), file.toString());
        } catch (CharacterCodingException e) {
            throw new UsageError("relay config " + file + " is not UTF-8 text");
        }
    }

    /**
     * Checks text as a relay config named source in messages.
     *
     * @throws UsageError naming the key (or the line) when the text is too large, not TOML, lacks a QUIC or
     *     HTTP address, puts them on different ports, or binds anything that is not loopback or does not resolve
     */
    public static RelayConfig parse(String text, String source) {
        TomlParseResult toml = tree(text, source);
        Address quic = Address.of(toml, source, QUIC_KEYS);
        Address http = Address.of(toml, source, List.of(HTTP_KEY));
        if (quic.port != http.port) {
            throw new UsageError(source + ": the QUIC bind address (" + Toml.joinKeyPath(quic.key) + ") and web.http.listen must use the same port");
        }
        for (Map.Entry<List<String>, String> bound : addresses(toml, source).entrySet()) {
            Address.parse(bound.getKey(), bound.getValue(), source).requireLoopback(source);
        }
        return new RelayConfig(text, http.host, http.port);
    }

    /**
     * The same config listening on newPort instead: every listener on the old port
     * moves (QUIC and HTTP together), each keeping its own host.
     */
    public RelayConfig onPort(int newPort) {
        TomlParseResult toml = tree(text, "relay config");
        for (Map.Entry<List<String>, String> bound : addresses(toml, "relay config").entrySet()) {
            Address address = Address.parse(bound.getKey(), bound.getValue(), "relay config");
            if (address.port == port) toml.set(bound.getKey(), address.host + ":" + newPort);
        }
        return new RelayConfig(toml.toToml(), host, newPort);
    }

    /**
     * The same config with the relay's outbound (cluster) socket on the QUIC
     * listener's loopback address, ephemeral port, unless the config sets one.
     * Relays 0.15 and later call that table [connect] and refuse [client], the
     * spelling before; the config's own spelling of the listener tells which.
     */
    public RelayConfig withLoopbackConnectBind() {
        TomlParseResult toml = tree(text, "relay config");
        Address quic = Address.of(toml, "relay config", QUIC_KEYS);
        List<String> bind = List.of(quic.key.get(0).equals("listen") ? "connect" : "client", "bind");
        if (toml.contains(bind)) return this;
        toml.set(bind, quic.loopbackLiteral() + ":0");
        return new RelayConfig(toml.toToml(), host, port);
    }

    /**
     * The same config with its [auth] tables replaced: the relay (0.15 and later)
     * asks the auth server at url to admit each session and grants no public path,
     * so only a token that server accepts gets in.
     */
    public RelayConfig withAuthUrl(String url) {
        TomlParseResult toml = tree(text, "relay config");
        toml.remove("auth");
        toml.set(List.of("auth", "url"), url);
        return new RelayConfig(toml.toToml(), host, port);
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

    /**
     * The parsed, mutable tree of text. tomlj's error recovery rescans the whole run
     * of comment and blank lines ahead at every line of it (LineRecoveryStrategy.sync
     * via unterminatedValue), so such a run costs the square of its length: 2000
     * comment lines took 45 s. The parser therefore sees the text without its
     * comment-only lines and with blank runs cut to one line; error positions are
     * mapped back to the lines the user wrote.
     */
    private static TomlParseResult tree(String text, String source) {
        if (text.length() > MAX_BYTES) throw tooLarge(source);
        Trimmed trimmed = Trimmed.of(text);
        TomlParseResult toml = Toml.parse(trimmed.text);
        if (toml.hasErrors()) {
            TomlParseError error = toml.errors().get(0);
            // Messages cite lines too ("listen previously defined at line 3, column 1").
            String message = LINE.matcher(error.getMessage()).replaceAll(m -> "line " + trimmed.originalLine(Integer.parseInt(m.group(1))));
            throw new UsageError(source + " is not valid TOML: " + message + " (line "
                    + trimmed.originalLine(error.position().line()) + ", column " + error.position().column() + ")");
        }
        return toml;
    }

    private static UsageError tooLarge(String source) {
        return new UsageError("relay config " + source + " is larger than " + (MAX_BYTES >> 20) + " MiB");
    }

    /** Every string value the relay would bind as a socket address, by key path. */
    private static Map<List<String>, String> addresses(MutableTomlTable toml, String source) {
        Map<List<String>, String> found = new java.util.LinkedHashMap<>();
        for (Map.Entry<List<String>, Object> entry : toml.entryPathSet(false)) {
            List<String> key = entry.getKey();
            if (!ADDRESS_KEYS.contains(key.get(key.size() - 1)) || key.stream().anyMatch(PATH_TABLES::contains)) continue;
            if (!(entry.getValue() instanceof String value)) {
                throw new UsageError(source + ": " + Toml.joinKeyPath(key) + " must be a \"host:port\" string");
            }
            found.put(key, value);
        }
        return found;
    }

    /** A host:port value at key. host is as written (IPv6 in brackets), ready for a URL. */
    private record Address(List<String> key, String value, String host, int port) {
        static Address of(TomlParseResult toml, String source, List<List<String>> keys) {
            for (List<String> key : keys) {
                if (toml.contains(key)) {
                    if (!toml.isString(key)) throw new UsageError(source + ": " + Toml.joinKeyPath(key) + " must be a \"host:port\" string");
                    return parse(key, toml.getString(key), source);
                }
            }
            throw new UsageError(source + ": missing " + Toml.joinKeyPath(keys.get(0)) + " (host:port)");
        }

        static Address parse(List<String> key, String value, String source) {
            Matcher matcher = ADDRESS.matcher(value);
            if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535) {
                throw new UsageError(source + ": " + Toml.joinKeyPath(key) + " = '" + value + "' is not host:port");
            }
            return new Address(key, value, matcher.group(1), Integer.parseInt(matcher.group(2)));
        }

        /** Every address the host resolves to, each of which must be loopback for the relay to stay on this machine. */
        void requireLoopback(String source) {
            InetAddress[] resolved;
            try {
                resolved = InetAddress.getAllByName(bare());
            } catch (UnknownHostException e) {
                throw new UsageError(source + ": " + Toml.joinKeyPath(key) + " = '" + value + "': host " + bare() + " does not resolve");
            }
            for (InetAddress address : resolved) {
                if (!address.isLoopbackAddress()) {
                    throw new UsageError(source + ": " + Toml.joinKeyPath(key) + " = '" + value + "' is not a loopback address ("
                            + address.getHostAddress() + "); the smoke relay must not be reachable from other machines");
                }
            }
        }

        /** The host as an IP literal (the relay's connect.bind takes no names), IPv6 in brackets. */
        String loopbackLiteral() {
            try {
                InetAddress address = InetAddress.getByName(bare());
                return address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            } catch (UnknownHostException e) {
                throw new UsageError("relay config: " + Toml.joinKeyPath(key) + ": host " + bare() + " does not resolve");
            }
        }

        private String bare() {
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }
    }

    /**
     * text with its comment-only lines dropped and runs of blank lines cut to one,
     * and for each line kept the line it was in text. Lines inside a multi-line
     * string are content and always kept.
     */
    private record Trimmed(String text, int[] lines, int originalCount) {
        static Trimmed of(String text) {
            String[] lines = text.split("\n", -1);
            StringBuilder kept = new StringBuilder(text.length());
            int[] origin = new int[lines.length];
            int count = 0;
            String open = null;
            boolean lastBlank = true; // so leading blank lines go too
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (open == null) {
                    String content = line.strip();
                    if (content.startsWith("#") || (content.isEmpty() && lastBlank)) continue;
                    lastBlank = content.isEmpty();
                }
                if (count > 0) kept.append('\n');
                kept.append(line);
                origin[count++] = i + 1;
                open = multiLineStringOpenAfter(line, open);
            }
            return new Trimmed(kept.toString(), Arrays.copyOf(origin, count), lines.length);
        }

        /** The 1-based line in the original text of line (1-based) of the trimmed one. */
        int originalLine(int line) {
            return line >= 1 && line <= lines.length ? lines[line - 1] : originalCount;
        }

        /**
         * The delimiter of the multi-line string still open at the end of line, given
         * the one open at its start (null: none). Only as much TOML lexing as that takes:
         * strings and comments, so a quote inside either is not taken for a delimiter.
         */
        static String multiLineStringOpenAfter(String line, String open) {
            int i = 0;
            while (i < line.length()) {
                if (open != null) {
                    int end = closingEnd(line, i, open);
                    if (end < 0) return open;
                    i = end;
                    open = null;
                    continue;
                }
                char c = line.charAt(i);
                if (c == '#') return null;
                if (line.startsWith("\"\"\"", i) || line.startsWith("'''", i)) {
                    open = line.substring(i, i + 3);
                    i += 3;
                } else if (c == '"') {
                    int j = i + 1;
                    while (j < line.length() && line.charAt(j) != '"') j += line.charAt(j) == '\\' ? 2 : 1;
                    i = j + 1;
                } else if (c == '\'') {
                    int j = line.indexOf('\'', i + 1);
                    i = j < 0 ? line.length() : j + 1;
                } else {
                    i++;
                }
            }
            return open;
        }

        /** Just past the delimiter closing a multi-line string in line from index from, or -1 if it stays open. */
        private static int closingEnd(String line, int from, String delimiter) {
            boolean escapes = delimiter.charAt(0) == '"';
            for (int j = from; j < line.length(); j++) {
                if (escapes && line.charAt(j) == '\\') {
                    j++;
                } else if (line.startsWith(delimiter, j)) {
                    int end = j + 3;
                    // Up to two quotes right before the delimiter belong to the string ("""a"""" ends in a quote).
                    while (end < line.length() && end - j < 5 && line.charAt(end) == delimiter.charAt(0)) end++;
                    return end;
                }
            }
            return -1;
        }
    }
}
