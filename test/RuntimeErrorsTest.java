import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import lib.core.RuntimeErrors;

/** The line a failed side's cell quotes, from real-shaped runtime output. */
class RuntimeErrorsTest {
    private static String first(String text) {
        return RuntimeErrors.first(text).orElse("(none)");
    }

    @Test
    void nodeQuotesTheSyntaxErrorNotTheSourceLineAboveIt() {
        String log = """
                file:///tmp/smoke/clients/js/subscribe.mjs:3
                import { Y } from "@moq/x";
                         ^
                SyntaxError: The requested module '@moq/x' does not provide an export named 'Y'
                    at ModuleJob._instantiate (node:internal/modules/esm/module_job:180:21)
                    at async ModuleJob.run (node:internal/modules/esm/module_job:263:5)

                Node.js v22.11.0
                """;
        assertEquals("SyntaxError: The requested module '@moq/x' does not provide an export named 'Y'", first(log));
    }

    @Test
    void aRelayRefusingARenamedConfigKeyQuotesTheKeyNotTheParseHeader() {
        String log = """
                Error: TOML parse error at line 1, column 1
                  |
                1 | [listen]
                  | ^^^^^^^^
                unknown field `listen`, expected one of `server`, `client`, `web`, `log`, `auth`, `cluster`
                """;
        assertEquals("unknown field `listen`, expected one of `server`, `client`, `web`, `log`, `auth`, `cluster` (at line 1, column 1)", first(log));
    }

    /** moq-relay 0.17.10 with another socket on its port: the outer message alone does not say what went wrong. */
    @Test
    void anAnyhowErrorCarriesItsCauseChain() {
        String log = """
                Error: failed to bind UDP socket

                Caused by:
                    Address already in use (os error 98)

                Stack backtrace:
                   0: std::backtrace::Backtrace::create
                """;
        assertEquals("Error: failed to bind UDP socket: Address already in use (os error 98)", first(log));
    }

    @Test
    void anAnyhowChainOfSeveralCausesDropsTheirNumbers() {
        String log = """
                Error: failed to connect

                Caused by:
                    0: tls handshake
                    1: invalid peer certificate: UnknownIssuer
                """;
        assertEquals("Error: failed to connect: tls handshake: invalid peer certificate: UnknownIssuer", first(log));
    }

    /** anyhow numbers causes only when there are several: a lone cause that starts with a number keeps it. */
    @Test
    void aLoneCauseKeepsANumberOfItsOwn() {
        String log = """
                Error: the relay refused the announce

                Caused by:
                    403: path not allowed by token
                """;
        assertEquals("Error: the relay refused the announce: 403: path not allowed by token", first(log));
    }

    /**
     * The chain is what is indented under "Caused by:", even when a tool quotes the whole error indented
     * (pip's "[N lines of output]" block): the backtrace after it is not a cause.
     */
    @Test
    void anIndentedAnyhowErrorEndsItsChainWhereItsIndentationEnds() {
        String log = """
                      Error: failed to build the extension

                      Caused by:
                          linker `cc` not found

                      Stack backtrace:
                         0: anyhow::error::<impl core::convert::From<E> for anyhow::Error>::from
                         1: maturin::main
                """;
        assertEquals("Error: failed to build the extension: linker `cc` not found", first(log));
    }

    @Test
    void tracingLinesKeepTheirLevelAndDropTheirModulePath() {
        String log = """
                2026-05-01T10:00:00.100000Z  INFO moq_native::client: connecting url=http://127.0.0.1:4443/
                2026-05-01T10:00:00.200000Z ERROR moq_native::client: connection failed err=unsupported versions: client=[Draft14] server=[Lite01]
                """;
        assertEquals("ERROR connection failed err=unsupported versions: client=[Draft14] server=[Lite01]", first(log));
    }

    @Test
    void aFingerprintMismatchIsQuoted() {
        assertEquals("connect failed: fingerprint mismatch (expected 1a2b, got 3c4d)",
                first("resolving relay\nconnect failed: fingerprint mismatch (expected 1a2b, got 3c4d)\n"));
    }

    @Test
    void aRustPanicInTheCurrentFormatGivesItsMessageAndPlace() {
        String log = """
                thread 'main' panicked at src/main.rs:10:5:
                called `Option::unwrap()` on a `None` value
                note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
                """;
        assertEquals("panicked: called `Option::unwrap()` on a `None` value (at src/main.rs:10:5)", first(log));
    }

    @Test
    void aPythonTracebackGivesItsFinalExceptionEvenWhenChained() {
        String log = """
                Traceback (most recent call last):
                  File "/tmp/smoke/clients/python/subscribe.py", line 20, in subscribe
                    track = broadcast["video"]
                KeyError: 'video'

                During handling of the above exception, another exception occurred:

                Traceback (most recent call last):
                  File "/tmp/smoke/clients/python/subscribe.py", line 40, in <module>
                    asyncio.run(main())
                  File "/usr/lib/python3.11/asyncio/runners.py", line 190, in run
                    return runner.run(main)
                moq.MoqError: no video track in the catalog
                """;
        assertEquals("moq.MoqError: no video track in the catalog", first(log));
        assertEquals("ValueError: bad url", first("Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad url\nafterwards\n"));
    }

    @Test
    void framingLinesAreNeverTheError() {
        String framing = """
                error: subprocess-exited-with-error
                go: downloading github.com/moq-dev/moq-go v0.3.1
                src/main.rs:10:5
                stack backtrace:
                """;
        assertEquals(Optional.empty(), RuntimeErrors.first(framing));
        assertEquals("ModuleNotFoundError: No module named 'moq'", first(framing + "ModuleNotFoundError: No module named 'moq'\n"));
    }

    @Test
    void aLoadersCauseChainGivesTheCauseItself() {
        String node = "@moq/web-transport failed to load: Error: Cannot find native binding. npm has a bug related to optional dependencies\n"
                + "  caused by: Error: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by web-transport.linux-x64-gnu.node)\n";
        assertEquals(java.util.Optional.of("Error: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by web-transport.linux-x64-gnu.node)"),
                lib.core.RuntimeErrors.first(node));
    }

    /** moq clients warn on their way to working; the cause is the ERROR, not the first WARN. */
    @Test
    void routineWarningsAreNotTheCause() {
        String log = "2026-11-29T20:40:59Z  WARN moq_sock::bind: UDP receive buffer is smaller than requested; raise `net.core.rmem_max`\n"
                + "2026-11-29T20:40:59Z  WARN moq_tokio::noq: performing insecure HTTP request for certificate url=http://127.0.0.1:1/certificate.sha256\n"
                + "2026-11-29T20:41:09Z ERROR moq_tokio::connection: connection loop exited err=reconnect timed out after 10s\n";
        assertEquals(java.util.Optional.of("ERROR connection loop exited err=reconnect timed out after 10s"), lib.core.RuntimeErrors.first(log));
        assertEquals(java.util.Optional.of("WARN QUIC connection failed err=timed out"),
                lib.core.RuntimeErrors.first("2026-11-29T20:41:09Z  WARN moq_native::client: QUIC connection failed err=timed out\n"));
    }
}
