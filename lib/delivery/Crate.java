package lib.delivery;

import java.util.List;

/** The published Rust packages, with the binary names each has shipped under. */
public enum Crate {
    RELAY("moq-relay", List.of("moq-relay"), "RELAY_BIN"),
    CLI("moq-cli", List.of("moq", "moq-cli"), "MOQ_BIN"),
    TOKEN("moq-token-cli", List.of("moq-token", "moq-token-cli"), "TOKEN_BIN");

    public final String crate;
    /** Current name first; older releases used the later ones. */
    public final List<String> binaries;
    /** Overrides the path channel's PATH lookup. */
    public final String envVar;

    Crate(String crate, List<String> binaries, String envVar) {
        this.crate = crate;
        this.binaries = binaries;
        this.envVar = envVar;
    }

    public String image() {
        return "moqdev/" + crate + ":latest";
    }

    public String tapFormula() {
        return "moq-dev/tap/" + crate;
    }

    public String flakeOutput() {
        return "github:moq-dev/moq#" + crate;
    }
}
