import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * jbang-catalog.json runs the scripts from a URL, where JBang skips //SOURCES
 * globs, so catalog.java has to name every file the scripts' globs pull in.
 */
class CatalogTest {
    static final Path CATALOG_JAVA = Path.of("catalog.java");

    @Test
    void catalogJavaNamesEverySourceOneByOne() throws IOException {
        Set<String> listed = sources(CATALOG_JAVA);
        for (String source : listed) {
            assertFalse(source.contains("*"), "a glob in catalog.java, which JBang skips from a URL: " + source);
            assertTrue(Files.isRegularFile(Path.of(source)), "catalog.java names a missing file: " + source);
        }
        List<String> missing = new ArrayList<>();
        for (String script : listed.stream().filter(s -> !s.contains("/")).toList()) {
            for (String needed : expand(sources(Path.of(script)))) {
                if (!listed.contains(needed)) missing.add("//SOURCES " + needed + "   (pulled in by " + script + ")");
            }
        }
        assertEquals(List.of(), missing, "add these lines to catalog.java");
    }

    @Test
    void everyAliasRunsCatalogJavaWithAMainItCompiles() throws IOException {
        JsonNode aliases = new ObjectMapper().readTree(Path.of("jbang-catalog.json").toFile()).path("aliases");
        assertTrue(aliases.has("smoke"), "the maintainer one-liner needs a smoke alias");
        Set<String> listed = sources(CATALOG_JAVA);
        aliases.properties().forEach(alias -> {
            assertEquals("catalog.java", alias.getValue().path("script-ref").asText(), alias.getKey());
            String main = alias.getValue().path("main").asText();
            assertTrue(listed.contains(main + ".java"), alias.getKey() + ": catalog.java does not compile " + main + ".java");
        });
    }

    /** The //SOURCES entries of a file, as JBang reads its directives. */
    private static Set<String> sources(Path file) throws IOException {
        Set<String> sources = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("//SOURCES ")) sources.addAll(List.of(line.substring("//SOURCES ".length()).strip().split("\\s+")));
        }
        return sources;
    }

    /** Globs expanded the way JBang does locally: java.nio glob patterns below the fixed prefix. */
    private static Set<String> expand(Set<String> entries) throws IOException {
        Set<String> files = new LinkedHashSet<>();
        for (String entry : entries) {
            if (!entry.contains("*")) {
                files.add(entry);
                continue;
            }
            Path base = Path.of(entry.substring(0, entry.lastIndexOf('/', entry.indexOf('*')) + 1));
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + entry);
            try (Stream<Path> walk = Files.walk(base)) {
                walk.filter(glob::matches).map(p -> p.toString().replace('\\', '/')).sorted().forEach(files::add);
            }
        }
        return files;
    }
}
