package lib.toolchain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * What a Maven repository says about one artifact, asked directly for its
 * maven-metadata.xml. Maven's resolver cannot tell: resolving RELEASE it reports
 * "Could not find metadata" whether the repository answered 404, refused, or was
 * never reached, so the harness asks the repository itself before it calls a cell
 * red or unavailable.
 */
public final class MavenArtifact {
    public static final URI CENTRAL = URI.create("https://repo1.maven.org/maven2/");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

    private MavenArtifact() {}

    /**
     * The repository's answer. LISTED: it serves the artifact, versions as listed;
     * ABSENT: it answered that there is no such artifact (404/410), a publishing break;
     * UNANSWERED: it could not be reached or refused this machine.
     */
    public record Answer(Kind kind, String detail, List<String> versions) {
        public enum Kind { LISTED, ABSENT, UNANSWERED }

        /** The highest version listed, by number. */
        public Optional<String> newest() {
            return versions.stream().reduce((a, b) -> Latest.compare(a, b) >= 0 ? a : b);
        }
    }

    /** Asks repository (http(s) or file) for coordinates "group:artifact". */
    public static Answer ask(URI repository, String coordinates) {
        String[] ga = coordinates.split(":");
        String path = ga[0].replace('.', '/') + "/" + ga[1] + "/maven-metadata.xml";
        URI metadata = URI.create(repository.toString().replaceFirst("/?$", "/")).resolve(path);
        if ("file".equals(metadata.getScheme())) {
            Path file = Path.of(metadata);
            if (!Files.isRegularFile(file)) return new Answer(Answer.Kind.ABSENT, "the repository has no " + metadata, List.of());
            try {
                return listed(Files.readAllBytes(file), metadata);
            } catch (IOException e) {
                return new Answer(Answer.Kind.UNANSWERED, "cannot read " + metadata + ": " + e.getMessage(), List.of());
            }
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(QUERY_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(metadata).timeout(QUERY_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status == 200) return listed(response.body(), metadata);
            String said = metadata + " answered HTTP " + status;
            return new Answer(status == 404 || status == 410 ? Answer.Kind.ABSENT : Answer.Kind.UNANSWERED, said, List.of());
        } catch (IOException e) {
            return new Answer(Answer.Kind.UNANSWERED, "cannot reach " + metadata + ": " + e, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(Answer.Kind.UNANSWERED, "interrupted asking " + metadata, List.of());
        }
    }

    private static Answer listed(byte[] xml, URI metadata) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList nodes = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getElementsByTagName("version");
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) versions.add(nodes.item(i).getTextContent().strip());
            return new Answer(Answer.Kind.LISTED, metadata + " lists " + versions.size() + " versions", versions);
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return new Answer(Answer.Kind.LISTED, metadata + " is not readable metadata: " + e.getMessage(), List.of());
        }
    }
}
