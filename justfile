# Shortcuts for the moq smoke test; `just --list` shows them. The README's two
# commands (./jbang smoke.java, ./jbang tests.java) don't need just. Extra
# arguments pass straight through, e.g. `just full --channel cargo`.

set positional-arguments

# List the recipes.
default:
    @just --list

# The full media matrix, every client as its roles allow.
full *args:
    ./jbang smoke.java --full --timeout 30 "$@"

# The moq flake as the channel: builds the latest moq ad hoc, nothing to install.
nix-channel *args:
    ./jbang smoke.java --channel nix "$@"

# The token matrix, default cells (rust generates and verifies).
token *args:
    ./jbang token.java "$@"

# The full token matrix: rust, js-node, js-bun and the rust-docker image.
token-full *args:
    ./jbang token.java --full "$@"

# Enforce the always-latest policy: no lock files, every moq package at latest.
freshness:
    ./jbang freshness.java

# Lint everything the project owns, then freshness (installs missing linters).
check:
    .ci/check

# The tests; an optional class-name regex picks some, e.g. `just test '^Freshness.*Test$'`.
test *args:
    ./jbang tests.java "$@"
