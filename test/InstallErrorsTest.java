import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import lib.core.InstallErrors.Tool;
import lib.core.InstallErrors;

/**
 * Each package tool's real-shaped failure output: the line a red or unavailable
 * cell quotes, and whether the source was unreachable or answered "no such package".
 */
class InstallErrorsTest {
    /** The tools these tests cover; a new tool without a test fails everyToolIsCovered. */
    private static final Set<Tool> COVERED = EnumSet.noneOf(Tool.class);

    private static String error(Tool tool, String output) {
        COVERED.add(tool);
        return InstallErrors.firstError(tool, output).orElse("(none)");
    }

    @Test
    void cargoQuotesTheCompileErrorNotACrateNamedLikeAnError() {
        String log = """
                    Updating crates.io index
                 Downloading crates ...
                  Downloaded thiserror-impl v2.0.12
                  Downloaded moq-lite v0.6.0
                   Compiling proc-macro2 v1.0.95
                   Compiling thiserror-impl v2.0.12
                   Compiling moq-native v0.7.0
                error[E0599]: no method named `as_str` found for struct `Path` in the current scope
                  --> /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/moq-native-0.7.0/src/client.rs:42:18
                   |
                42 |         let p = path.as_str();
                   |                      ^^^^^^ method not found in `Path`

                For more information about this error, try `rustc --explain E0599`.
                error: could not compile `moq-native` (lib) due to 1 previous error
                error: failed to compile `moq-cli v0.5.0`, intermediate artifacts can be found at `/tmp/cargo-installAbC`.
                To reuse those artifacts with a future compilation, set the environment variable `CARGO_TARGET_DIR` to that path.
                """;
        assertEquals("error[E0599]: no method named `as_str` found for struct `Path` in the current scope", error(Tool.CARGO, log));
        assertFalse(InstallErrors.unreachable(log));
        assertFalse(InstallErrors.notFound(log));

        String missing = """
                    Updating crates.io index
                error: could not find `moq-nope` in registry `crates-io` with version `*`
                """;
        assertEquals("error: could not find `moq-nope` in registry `crates-io` with version `*`", error(Tool.CARGO, missing));
        assertTrue(InstallErrors.notFound(missing));
        assertFalse(InstallErrors.unreachable(missing));

        String offline = """
                    Updating crates.io index
                warning: spurious network error (3 tries remaining): [6] Couldn't resolve host name (Could not resolve host: index.crates.io)
                error: failed to query replaced source registry `crates-io`

                Caused by:
                  download of config.json failed

                Caused by:
                  [6] Couldn't resolve host name (Could not resolve host: index.crates.io)
                """;
        assertEquals("error: failed to query replaced source registry `crates-io`", error(Tool.CARGO, offline));
        assertTrue(InstallErrors.unreachable(offline));
        assertFalse(InstallErrors.notFound(offline));
    }

    @Test
    void npmQuotesTheRegistrysAnswerNotWhereItsLogIs() {
        String e404 = """
                npm error code E404
                npm error 404 Not Found - GET https://registry.npmjs.org/@moq%2fnope - Not found
                npm error 404
                npm error 404  '@moq/nope@latest' is not in this registry.
                npm error 404
                npm error 404 Note that you can also install from a
                npm error 404 tarball, folder, http url, or git url.
                npm error A complete log of this run can be found in: /root/.npm/_logs/2026-05-01T10_00_00_000Z-debug-0.log
                """;
        assertEquals("404 Not Found - GET https://registry.npmjs.org/@moq%2fnope - Not found", error(Tool.NPM, e404));
        assertTrue(InstallErrors.notFound(e404));
        assertFalse(InstallErrors.unreachable(e404));
        // The registry's own 404 stands even when a retry elsewhere in the run hit the network.
        assertTrue(InstallErrors.notFound("npm warn fetch retry ECONNRESET https://registry.npmjs.org/bun\n" + e404));

        String etarget = """
                npm error code ETARGET
                npm error notarget No matching version found for left-pad@^99.0.0.
                npm error notarget In most cases you or one of your dependencies are requesting
                npm error notarget a package version that doesn't exist.
                npm error A complete log of this run can be found in: /root/.npm/_logs/2026-05-01T10_00_00_000Z-debug-0.log
                """;
        assertEquals("No matching version found for left-pad@^99.0.0.", error(Tool.NPM, etarget));
        assertTrue(InstallErrors.notFound(etarget));

        String offline = """
                npm error code ENOTFOUND
                npm error syscall getaddrinfo
                npm error errno ENOTFOUND
                npm error network request to https://registry.npmjs.org/@moq%2ftoken failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org
                npm error network This is a problem related to network connectivity.
                npm error network In most cases you are behind a proxy or have bad network settings.
                npm error A complete log of this run can be found in: /root/.npm/_logs/2026-05-01T10_00_00_000Z-debug-0.log
                """;
        assertEquals("request to https://registry.npmjs.org/@moq%2ftoken failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org",
                error(Tool.NPM, offline));
        assertTrue(InstallErrors.unreachable(offline));
        assertFalse(InstallErrors.notFound(offline));
    }

    @Test
    void pipQuotesTheCauseInsideTheSubprocessOutput() {
        String build = """
                Collecting moq-rs
                  Downloading moq_rs-0.2.0.tar.gz (120 kB)
                  Installing build dependencies: started
                  Installing build dependencies: finished with status 'done'
                  Getting requirements to build wheel: started
                  Getting requirements to build wheel: finished with status 'error'
                  error: subprocess-exited-with-error

                  × Getting requirements to build wheel did not run successfully.
                  │ exit code: 1
                  ╰─> [9 lines of output]
                      Traceback (most recent call last):
                        File "/usr/lib/python3/dist-packages/pip/_vendor/pyproject_hooks/_in_process/_in_process.py", line 353, in <module>
                          main()
                        File "/tmp/pip-build-env-x/overlay/lib/python3.11/site-packages/maturin/__init__.py", line 42, in <module>
                          import puccinialin
                      ModuleNotFoundError: No module named 'puccinialin'
                      [end of output]

                  note: This error originates from a subprocess, and is likely not a problem with pip.
                error: subprocess-exited-with-error

                × Getting requirements to build wheel did not run successfully.
                │ exit code: 1
                ╰─> See above for output.

                note: This error originates from a subprocess, and is likely not a problem with pip.
                """;
        assertEquals("ModuleNotFoundError: No module named 'puccinialin'", error(Tool.PIP, build));
        assertFalse(InstallErrors.unreachable(build));
        assertFalse(InstallErrors.notFound(build));

        String noTraceback = """
                  error: subprocess-exited-with-error

                  × Preparing metadata (pyproject.toml) did not run successfully.
                  │ exit code: 1
                  ╰─> [4 lines of output]

                      Cargo, the Rust package manager, is not installed or is not on PATH.
                      This package requires Rust and Cargo to compile extensions.
                      [end of output]
                error: metadata-generation-failed
                """;
        assertEquals("Cargo, the Rust package manager, is not installed or is not on PATH.", error(Tool.PIP, noTraceback));

        String missing = """
                ERROR: Could not find a version that satisfies the requirement moq-nope (from versions: none)
                ERROR: No matching distribution found for moq-nope
                """;
        assertEquals("ERROR: Could not find a version that satisfies the requirement moq-nope (from versions: none)", error(Tool.PIP, missing));
        assertTrue(InstallErrors.notFound(missing));
        assertFalse(InstallErrors.unreachable(missing));

        // Offline, pip says "from versions: none" too: the network lines decide.
        String offline = """
                WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/moq-rs/
                ERROR: Could not find a version that satisfies the requirement moq-rs (from versions: none)
                ERROR: No matching distribution found for moq-rs
                """;
        assertTrue(InstallErrors.unreachable(offline));
        assertFalse(InstallErrors.notFound(offline));
    }

    @Test
    void uvQuotesTheBecauseLineWithoutItsArrow() {
        String log = """
                  × No solution found when resolving dependencies:
                  ╰─▶ Because moq-nope was not found in the package registry and you require moq-nope, we can conclude that your requirements are unsatisfiable.
                """;
        assertEquals("Because moq-nope was not found in the package registry and you require moq-nope, we can conclude that your requirements are unsatisfiable.",
                error(Tool.UV, log));
        assertTrue(InstallErrors.notFound(log));
        assertFalse(InstallErrors.unreachable(log));

        String offline = """
                error: Failed to fetch: `https://pypi.org/simple/moq-rs/`
                  Caused by: Request failed after 3 retries
                  Caused by: error sending request for url (https://pypi.org/simple/moq-rs/)
                  Caused by: client error (Connect)
                  Caused by: dns error: failed to lookup address information: Temporary failure in name resolution
                """;
        assertEquals("error: Failed to fetch: `https://pypi.org/simple/moq-rs/`", error(Tool.UV, offline));
        assertTrue(InstallErrors.unreachable(offline));
        assertFalse(InstallErrors.notFound(offline));
    }

    @Test
    void goQuotesTheCompilerNotTheDownloads() {
        String cgo = """
                go: downloading example.com/moqgo v0.3.1
                go: downloading golang.org/x/net v0.30.0
                # example.com/moqgo
                In file included from ./moq.go:5:
                ./moq_bridge.h:3:10: fatal error: moq.h: No such file or directory
                    3 | #include "moq.h"
                      |          ^~~~~~~
                compilation terminated.
                """;
        assertEquals("./moq_bridge.h:3:10: fatal error: moq.h: No such file or directory", error(Tool.GO, cgo));
        assertFalse(InstallErrors.unreachable(cgo));
        assertFalse(InstallErrors.notFound(cgo));

        String forbidden = """
                go: downloading example.com/moqgo v0.3.1
                go: example.com/moqgo@v0.3.1: reading https://proxy.golang.org/example.com/moqgo/@v/v0.3.1.zip: 403 Forbidden
                	server response: module example.com/moqgo@v0.3.1 is not available
                """;
        assertEquals("go: example.com/moqgo@v0.3.1: reading https://proxy.golang.org/example.com/moqgo/@v/v0.3.1.zip: 403 Forbidden",
                error(Tool.GO, forbidden));
        assertTrue(InstallErrors.unreachable(forbidden));
        assertFalse(InstallErrors.notFound(forbidden));

        String gone = """
                go: github.com/moq-dev/moq-nope@latest: module github.com/moq-dev/moq-nope: reading https://proxy.golang.org/github.com/moq-dev/moq-nope/@v/list: 410 Gone
                	server response: not found: github.com/moq-dev/moq-nope@latest: invalid version: repository does not exist
                """;
        assertTrue(InstallErrors.notFound(gone));
        assertFalse(InstallErrors.unreachable(gone));
    }

    @Test
    void mavenAndJbangQuoteTheMissingArtifact() {
        String mvn = """
                [INFO] Scanning for projects...
                [INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/example/moqlib/0.2.0/moqlib-0.2.0.pom
                [WARNING] The POM for org.example:moqlib:jar:0.2.0 is missing, no dependency information available
                [ERROR] Failed to execute goal on project smoke: Could not resolve dependencies for project x:smoke:jar:1: Could not find artifact org.example:moqlib:jar:0.2.0 in central (https://repo.maven.apache.org/maven2) -> [Help 1]
                [ERROR]
                [ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
                [ERROR] Re-run Maven using the -X switch to enable full debug logging.
                """;
        assertEquals("Could not find artifact org.example:moqlib:jar:0.2.0 in central (https://repo.maven.apache.org/maven2)", error(Tool.MAVEN, mvn));
        assertTrue(InstallErrors.notFound(mvn));
        assertFalse(InstallErrors.unreachable(mvn));

        String jbang = """
                [jbang] Resolving dependencies...
                [jbang]    dev.moq:moq:latest.release
                [jbang] [ERROR] Could not resolve dependencies: Could not find metadata dev.moq:moq/maven-metadata.xml in central (https://repo1.maven.org/maven2/)
                """;
        assertEquals("Could not find metadata dev.moq:moq/maven-metadata.xml in central (https://repo1.maven.org/maven2/)", error(Tool.of("jbang"), jbang));
        assertTrue(InstallErrors.notFound(jbang));
        assertFalse(InstallErrors.unreachable(jbang));

        String offline = """
                [ERROR] Failed to execute goal on project smoke: Could not resolve dependencies for project x:smoke:jar:1: Could not transfer artifact org.example:moqlib:pom:0.2.0 from/to central (https://repo.maven.apache.org/maven2): repo.maven.apache.org: Temporary failure in name resolution -> [Help 1]
                """;
        assertEquals("Could not transfer artifact org.example:moqlib:pom:0.2.0 from/to central (https://repo.maven.apache.org/maven2): repo.maven.apache.org: Temporary failure in name resolution",
                error(Tool.MAVEN, offline));
        assertTrue(InstallErrors.unreachable(offline));
        assertFalse(InstallErrors.notFound(offline));
    }

    @Test
    void gradleQuotesTheInnermostCause() {
        String log = """
                FAILURE: Build failed with an exception.

                * What went wrong:
                Execution failed for task ':compileJava'.
                > Could not resolve all files for configuration ':compileClasspath'.
                   > Could not find org.example:moqlib:0.2.0.
                     Searched in the following locations:
                       - https://repo.maven.apache.org/maven2/org/example/moqlib/0.2.0/moqlib-0.2.0.pom

                * Try:
                > Run with --stacktrace option to get the stack trace.
                """;
        assertEquals("Could not find org.example:moqlib:0.2.0.", error(Tool.GRADLE, log));
        assertTrue(InstallErrors.notFound(log));
        assertFalse(InstallErrors.unreachable(log));
    }

    @Test
    void aptQuotesItsErrorLine() {
        String missing = """
                Reading package lists...
                Building dependency tree...
                Reading state information...
                E: Unable to locate package moq-relay
                """;
        assertEquals("E: Unable to locate package moq-relay", error(Tool.APT, missing));
        assertTrue(InstallErrors.notFound(missing));
        assertFalse(InstallErrors.unreachable(missing));

        String offline = """
                Err:1 http://deb.debian.org/debian bookworm InRelease
                  Temporary failure resolving 'deb.debian.org'
                W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'
                E: Unable to locate package moq-relay
                """;
        assertEquals("E: Unable to locate package moq-relay", error(Tool.APT, offline));
        assertTrue(InstallErrors.unreachable(offline));
        assertFalse(InstallErrors.notFound(offline));
    }

    @Test
    void brewQuotesItsErrorLine() {
        String missing = """
                ==> Auto-updating Homebrew...
                Warning: No available formula with the name "moq-nope". Did you mean moq?
                Error: No available formula with the name "moq-nope". Did you mean moq?
                """;
        assertEquals("Error: No available formula with the name \"moq-nope\". Did you mean moq?", error(Tool.BREW, missing));
        assertTrue(InstallErrors.notFound(missing));
        assertFalse(InstallErrors.unreachable(missing));

        String offline = """
                ==> Fetching moq-relay
                curl: (6) Could not resolve host: ghcr.io
                Error: moq-relay: Failed to download resource "moq-relay--0.17.10.arm64_sonoma.bottle.tar.gz"
                Download failed: https://ghcr.io/v2/homebrew/core/moq-relay/blobs/sha256:0123
                """;
        assertEquals("Error: moq-relay: Failed to download resource \"moq-relay--0.17.10.arm64_sonoma.bottle.tar.gz\"", error(Tool.BREW, offline));
        assertTrue(InstallErrors.unreachable(offline));
        assertFalse(InstallErrors.notFound(offline));
    }

    @Test
    void nixQuotesTheInnermostErrorNotItsContextLines() {
        String offline = """
                error:
                       … while fetching the input 'github:moq-dev/moq'

                       error: unable to download 'https://api.github.com/repos/moq-dev/moq/commits/HEAD': Couldn't resolve host name (6)
                """;
        assertEquals("error: unable to download 'https://api.github.com/repos/moq-dev/moq/commits/HEAD': Couldn't resolve host name (6)",
                error(Tool.NIX, offline));
        assertTrue(InstallErrors.unreachable(offline));
        assertFalse(InstallErrors.notFound(offline));

        String missing = """
                warning: Git tree '/work' is dirty
                error: flake 'github:moq-dev/moq' does not provide attribute 'packages.x86_64-linux.moq-nope', 'legacyPackages.x86_64-linux.moq-nope' or 'moq-nope'
                """;
        assertEquals("error: flake 'github:moq-dev/moq' does not provide attribute 'packages.x86_64-linux.moq-nope', "
                + "'legacyPackages.x86_64-linux.moq-nope' or 'moq-nope'", error(Tool.NIX, missing));
        assertTrue(InstallErrors.notFound(missing));
        assertFalse(InstallErrors.unreachable(missing));
    }

    @Test
    void dockerQuotesTheDaemonsAnswer() {
        String denied = """
                Unable to find image 'moqdev/moq-nope:latest' locally
                docker: Error response from daemon: pull access denied for moqdev/moq-nope, repository does not exist or may require 'docker login': denied: requested access to the resource is denied.
                See 'docker run --help'.
                """;
        assertEquals("Error response from daemon: pull access denied for moqdev/moq-nope, repository does not exist or may require "
                + "'docker login': denied: requested access to the resource is denied.", error(Tool.DOCKER, denied));
        assertTrue(InstallErrors.notFound(denied));
        assertFalse(InstallErrors.unreachable(denied));

        String offline = """
                latest: Pulling from moqdev/moq-relay
                Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: server misbehaving
                """;
        assertEquals("Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: server misbehaving",
                error(Tool.of("podman"), offline));
        assertTrue(InstallErrors.unreachable(offline));
        assertFalse(InstallErrors.notFound(offline));
    }

    @Test
    void ccQuotesTheCompilerElseTheLinkerNotCollect2() {
        String missingHeader = "/tmp/moq-smoke-x/c/clients/c/subscribe.c:12:10: fatal error: moq.h: No such file or directory\n"
                + "   12 | #include <moq.h>\n      |          ^~~~~~~\ncompilation terminated.\n";
        assertEquals("subscribe.c:12:10: fatal error: moq.h: No such file or directory", error(Tool.of("cc"), missingHeader));
        String noLibrary = "/usr/bin/ld: cannot find -lmoq: No such file or directory\ncollect2: error: ld returned 1 exit status\n";
        assertEquals("cannot find -lmoq: No such file or directory", error(Tool.CC, noLibrary));
        String undefined = "/usr/bin/ld: /tmp/cc81CfGq.o: in function `main':\nu.c:(.text+0x5): undefined reference to `moq_x'\n"
                + "collect2: error: ld returned 1 exit status\n";
        assertEquals("undefined reference to `moq_x'", error(Tool.CC, undefined));
    }

    @Test
    void cmakeQuotesItsErrorWithTheLinesThatBelongToItAndNotItsAdvice() {
        String badConfig = "-- Configuring done\nCMake Error in CMakeLists.txt:\n  Imported target \"moq::moq\" includes non-existent path\n\n"
                + "    \"/tmp/x/moq-0.6.20-x86_64-unknown-linux-gnu/lib/include\"\n\n"
                + "  in its INTERFACE_INCLUDE_DIRECTORIES.  Possible reasons include:\n\n"
                + "  * The path was deleted, renamed, or moved to another location.\n\n-- Generating done\n"
                + "CMake Generate step failed.  Build files cannot be regenerated correctly.\n";
        assertEquals("CMake Error in CMakeLists.txt: Imported target \"moq::moq\" includes non-existent path"
                + " \"/tmp/x/moq-0.6.20-x86_64-unknown-linux-gnu/lib/include\" in its INTERFACE_INCLUDE_DIRECTORIES.", error(Tool.of("cmake"), badConfig));
        String notFound = "CMake Error at CMakeLists.txt:8 (find_package):\n  Could not find a package configuration file provided by \"moq\" with any of\n"
                + "  the following names:\n\n    moqConfig.cmake\n    moq-config.cmake\n\n"
                + "  Add the installation prefix of \"moq\" to CMAKE_PREFIX_PATH or set \"moq_DIR\"\n  to a directory containing one of the above files.  If \"moq\" provides a\n"
                + "  separate development package or SDK, be sure it has been installed.\n\n\n-- Configuring incomplete, errors occurred!\n";
        String quoted = error(Tool.CMAKE, notFound);
        assertTrue(quoted.startsWith("CMake Error at CMakeLists.txt:8 (find_package): Could not find a package configuration file provided by \"moq\""
                + " with any of the following names: moqConfig.cmake moq-config.cmake"), quoted);
        assertTrue(quoted.length() <= 302 && quoted.endsWith(" …"), quoted);
        String buildFailed = "[ 50%] Building C object CMakeFiles/subscribe.dir/subscribe.c.o\n/tmp/c/subscribe.c:40:5: error: unknown type name 'moq_config'\n"
                + "gmake[2]: *** [CMakeFiles/subscribe.dir/build.make:76: CMakeFiles/subscribe.dir/subscribe.c.o] Error 1\n";
        assertEquals("subscribe.c:40:5: error: unknown type name 'moq_config'", error(Tool.CMAKE, buildFailed));
        String missingLibrary = "gmake[2]: *** No rule to make target '/tmp/x/lib/libmoq.a', needed by 'subscribe'.  Stop.\n"
                + "gmake[1]: *** [CMakeFiles/Makefile2:83: CMakeFiles/subscribe.dir/all] Error 2\n";
        assertEquals("gmake[2]: *** No rule to make target '/tmp/x/lib/libmoq.a', needed by 'subscribe'.  Stop.", error(Tool.CMAKE, missingLibrary));
    }

    @Test
    void anUnknownToolGivesTheFirstLineMentioningAnErrorElseTheLast() {
        assertEquals("fatal: this ERROR is it", error(Tool.of("/usr/local/bin/make"), "building\nfatal: this ERROR is it\nerror later\n"));
        assertEquals("the last words", error(Tool.GENERIC, "\u001b[1mstarting\u001b[0m\nthe last words\n"));
        assertEquals(Optional.empty(), InstallErrors.firstError(Tool.GENERIC, "\n \n"));
    }

    @Test
    void toolsAreNamedByTheCommandThatRanThem() {
        assertEquals(Tool.CARGO, Tool.of("/root/.cargo/bin/cargo"));
        assertEquals(Tool.NPM, Tool.of("bun"));
        assertEquals(Tool.PIP, Tool.of("python3"));
        assertEquals(Tool.MAVEN, Tool.of("jbang"));
        assertEquals(Tool.APT, Tool.of("apt-get"));
        assertEquals(Tool.DOCKER, Tool.of("podman"));
        assertEquals(Tool.GENERIC, Tool.of("make"));
    }

    @Test
    void everyToolIsCovered() {
        // Runs the other cases' logs once more, so the check holds whatever order JUnit picks.
        cargoQuotesTheCompileErrorNotACrateNamedLikeAnError();
        npmQuotesTheRegistrysAnswerNotWhereItsLogIs();
        pipQuotesTheCauseInsideTheSubprocessOutput();
        uvQuotesTheBecauseLineWithoutItsArrow();
        goQuotesTheCompilerNotTheDownloads();
        mavenAndJbangQuoteTheMissingArtifact();
        gradleQuotesTheInnermostCause();
        aptQuotesItsErrorLine();
        brewQuotesItsErrorLine();
        nixQuotesTheInnermostErrorNotItsContextLines();
        dockerQuotesTheDaemonsAnswer();
        ccQuotesTheCompilerElseTheLinkerNotCollect2();
        cmakeQuotesItsErrorWithTheLinesThatBelongToItAndNotItsAdvice();
        anUnknownToolGivesTheFirstLineMentioningAnErrorElseTheLast();
        assertEquals(EnumSet.allOf(Tool.class), COVERED);
    }
}
