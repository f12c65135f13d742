import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.ToolProvider;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import lib.clients.Client;
import lib.clients.ClientContext;
import lib.clients.KotlinClient;
import lib.core.Availability;
import lib.core.Workspace;
import lib.media.Side;
import lib.media.Transport;

/**
 * The kotlin client with the real JBang (through the project's wrapper) against
 * Maven repositories laid out by the test: a file repository serving a stand-in
 * dev.moq:moq (test/fakes/kotlin-moq), an empty one, and local HTTP servers that
 * refuse or say 404, as Maven Central does for an artifact it does not have.
 */
// A real JBang build each; one at a time, as they share JBang's cache.
@Tag("toolchain")
@Execution(ExecutionMode.SAME_THREAD)
class KotlinClientTest {
    static final Path STUBS = Path.of("test/fakes/kotlin-moq").toAbsolutePath();

    @TempDir Path dir;

    @Test
    void resolvesTheReleaseCapturesItsVersionAndTheProgramSubscribes() throws Exception {
        Path repo = repository("0.4.3", "0.4.2", "0.4.3");
        Client.Installed installed = install(repo.toUri());

        assertTrue(installed.availability().ready(), installed.availability().toString());
        assertEquals("0.4.3", installed.versions().get("dev.moq:moq"), installed.versions().toString());
        Side subscriber = installed.subscribe(new Client.Target(URI.create("http://127.0.0.1:1"), "smoke-kt.hang", Duration.ofSeconds(10), Transport.QUIC),
                new Client.SideIO("subscribe-kotlin", Files.createDirectories(dir.resolve("cell")), InputStream::nullInputStream));
        try {
            assertEquals("received 4 bytes from smoke-kt.hang", subscriber.frame().get(60, TimeUnit.SECONDS));
            assertEquals(0, subscriber.exit().get(30, TimeUnit.SECONDS));
        } finally {
            subscriber.stop();
        }
        assertEquals(Transport.QUIC, subscriber.transport().orElseThrow());
    }

    /** A repository whose RELEASE tag lags the versions it lists hands users the older release. */
    @Test
    void aReleaseOlderThanTheNewestListedIsRed() throws Exception {
        Client.Installed installed = install(repository("0.4.2", "0.4.2", "0.4.3").toUri());
        Availability why = installed.availability();
        assertEquals(Availability.State.BROKEN, why.state(), why.toString());
        assertEquals("jbang installed dev.moq:moq 0.4.2, but the registry's newest is 0.4.3: a user here silently gets the older release", why.detail());
    }

    /** What this project's machines see: the repository answers, and has no dev.moq:moq. */
    @Test
    void aRepositoryWithoutTheArtifactIsRedQuotingTheResolver() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-repo"));
        Availability why = install(empty.toUri()).availability();
        assertEquals(Availability.State.BROKEN, why.state(), why.toString());
        assertTrue(why.detail().startsWith("jbang could not resolve dev.moq:moq: "), why.detail());
        assertTrue(why.detail().contains("Could not find metadata dev.moq:moq/maven-metadata.xml"), why.detail());
        assertTrue(why.detail().matches(".*\\(the repository has no file:\\S*/empty-repo/dev/moq/moq/maven-metadata\\.xml\\)"), why.detail());
    }

    @Test
    void aRepositoryAnswering404IsRed() throws Exception {
        HttpServer server = GoClientTest.proxy(404, "Not Found");
        try {
            Availability why = install(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/")).availability();
            assertEquals(Availability.State.BROKEN, why.state(), why.toString());
            assertTrue(why.detail().endsWith("/maven2/dev/moq/moq/maven-metadata.xml answered HTTP 404)"), why.detail());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRepositoryThatRefusesThisMachineMakesItUnavailable() throws Exception {
        HttpServer server = GoClientTest.proxy(403, "Forbidden");
        try {
            Availability why = install(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/")).availability();
            assertEquals(Availability.State.UNAVAILABLE, why.state(), why.toString());
            assertTrue(why.detail().endsWith("answered HTTP 403)"), why.detail());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableRepositoryMakesItUnavailable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Availability why = install(URI.create("http://127.0.0.1:" + closed + "/maven2/")).availability();
        assertEquals(Availability.State.UNAVAILABLE, why.state(), why.toString());
        assertTrue(why.detail().contains("cannot reach http://127.0.0.1:" + closed + "/maven2/dev/moq/moq/maven-metadata.xml"), why.detail());
    }

    private Client.Installed install(URI repository) {
        Workspace workspace = new Workspace(dir.resolve("cache"), dir.resolve("scratch"), dir.resolve("out"));
        try (ClientContext context = new ClientContext(workspace, null)) {
            return new KotlinClient(repository).install(context);
        }
    }

    /** A file repository with the stand-in dev.moq:moq at each of versions, whose metadata names release as RELEASE. */
    private Path repository(String release, String... versions) throws IOException {
        Path jar = stubJar();
        Path artifact = Files.createDirectories(dir.resolve("repo/dev/moq/moq"));
        StringBuilder listed = new StringBuilder();
        for (String version : versions) {
            Path at = Files.createDirectories(artifact.resolve(version));
            Files.copy(jar, at.resolve("moq-" + version + ".jar"));
            Files.writeString(at.resolve("moq-" + version + ".pom"), "<project><modelVersion>4.0.0</modelVersion><groupId>dev.moq</groupId>"
                    + "<artifactId>moq</artifactId><version>" + version + "</version></project>\n");
            listed.append("<version>").append(version).append("</version>");
        }
        Files.writeString(artifact.resolve("maven-metadata.xml"), "<metadata><groupId>dev.moq</groupId><artifactId>moq</artifactId><versioning><release>"
                + release + "</release><versions>" + listed + "</versions></versioning></metadata>\n");
        return dir.resolve("repo");
    }

    private Path stubJar() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("stub-classes"));
        List<String> sources;
        try (Stream<Path> files = Files.walk(STUBS)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString()));
        args.addAll(sources);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)), "the stand-ins compile");
        Path jar = dir.resolve("moq.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }
}
