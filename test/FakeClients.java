import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import lib.clients.Client;
import lib.clients.ClientContext;
import lib.core.Availability;
import lib.core.Proc;
import lib.media.Diagnosis;
import lib.media.Fmp4FrameProbe;
import lib.media.Launch;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.media.Transport;

/** Clients for the matrix tests: the fake moq CLI as a child process, and an in-process side. */
final class FakeClients {
    private FakeClients() {}

    /**
     * A client driven by the fake moq CLI, in whatever mode a test needs. installed
     * null means install throws; extraEnv reaches both sides (FAKE_MOQ_TRANSPORT etc.).
     */
    record Moq(String name, Availability installed, String subscribeMode, String publishMode, Map<String, String> extraEnv) implements Client {
        static Moq good(String name) {
            return new Moq(name, Availability.ready("fake 1.0"), "frame", "", Map.of());
        }

        static Moq subscribing(String name, String mode) {
            return new Moq(name, Availability.ready("fake 1.0"), mode, "", Map.of());
        }

        Moq withEnv(Map<String, String> env) {
            return new Moq(name, installed, subscribeMode, publishMode, env);
        }

        public int order() {
            return 0;
        }

        public String source() {
            return "test fake";
        }

        public Set<Role> roles() {
            return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
        }

        public Availability check(ClientContext context) {
            return installed;
        }

        public Installed install(ClientContext context) {
            if (installed == null) throw new IllegalStateException("install exploded");
            if (!installed.ready()) return Client.notInstalled(installed);
            Moq self = this;
            return new Installed() {
                public Availability availability() {
                    return installed;
                }

                public Map<String, String> versions() {
                    return Map.of(name, "1.0");
                }

                public Side publish(Target target, SideIO io) {
                    List<String> command = publishMode.equals("crash")
                            ? List.of("sh", "-c", "echo 'Error: cannot publish' >&2; exit 7")
                            : List.of(Fakes.MOQ.toString(), "--broadcast", target.broadcast(), "import", "avc3");
                    var env = new java.util.HashMap<>(Map.of("PATH", Fakes.path()));
                    env.putAll(self.extraEnv);
                    Launch launch = Launch.publisher(new Proc.Spec(command, env, null), true, Transport.Reader.DECLARED_LINE);
                    return ProcessSide.start(io.label(), launch, io.dir().resolve("publisher.log"), null, io.h264().get());
                }

                public Side subscribe(Target target, SideIO io) {
                    var env = new java.util.HashMap<>(Map.of("PATH", Fakes.path()));
                    env.putAll(self.extraEnv);
                    env.put("FAKE_MOQ_MODE", subscribeMode);
                    Launch launch = Launch.subscriber(new Proc.Spec(List.of(Fakes.MOQ.toString(), "--broadcast", target.broadcast(),
                            "export", "fmp4"), env, null), Fmp4FrameProbe.factory(), true, Transport.Reader.DECLARED_LINE);
                    return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), io.dir().resolve("subscriber.out"), null);
                }
            };
        }
    }

    /** A subscriber that is a shell script in the style of clients/: a "received N bytes" line on stdout. */
    record Script(String name, String script) implements Client {
        public int order() {
            return 0;
        }

        public String source() {
            return "test script";
        }

        public Set<Role> roles() {
            return Set.of(Role.SUBSCRIBE);
        }

        public Availability check(ClientContext context) {
            return Availability.ready("");
        }

        public Installed install(ClientContext context) {
            return new Installed() {
                public Availability availability() {
                    return Availability.ready("");
                }

                public Map<String, String> versions() {
                    return Map.of();
                }

                public Side publish(Target target, SideIO io) {
                    throw new UnsupportedOperationException();
                }

                public Side subscribe(Target target, SideIO io) {
                    Launch launch = Launch.subscriber(Proc.Spec.of(List.of("sh", "-c", script, "sh", target.broadcast())),
                            lib.media.MarkerProbe.factory(), false, Transport.Reader.DECLARED_LINE);
                    return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), null, null);
                }
            };
        }
    }

    /**
     * A side the harness drives in-process, as the browser clients do: behave
     * decides, from the target, what the side reports and when.
     */
    record InProcess(String name, Function<Client.Target, InProcessSide> behave, Function<Transport, Optional<String>> cannot) implements Client {
        InProcess(String name, Function<Client.Target, InProcessSide> behave) {
            this(name, behave, t -> Optional.empty());
        }

        public int order() {
            return 0;
        }

        public String source() {
            return "in-process test fake";
        }

        public Set<Role> roles() {
            return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
        }

        public Availability check(ClientContext context) {
            return Availability.ready("in-process");
        }

        public Installed install(ClientContext context) {
            return new Installed() {
                public Availability availability() {
                    return Availability.ready("in-process");
                }

                public Map<String, String> versions() {
                    return Map.of("in-process-package", "9.9");
                }

                public Optional<String> cannotUse(Transport transport) {
                    return cannot.apply(transport);
                }

                public Side publish(Target target, SideIO io) {
                    return behave.apply(target);
                }

                public Side subscribe(Target target, SideIO io) {
                    return behave.apply(target);
                }
            };
        }
    }

    /**
     * A client whose install writes its own install log and uses a toolchain shared
     * with other such clients (which writes one more), then is broken or as good as
     * Moq.good.
     */
    record Logging(String name, boolean broken, List<String> warnings) implements Client {
        Logging(String name, boolean broken) {
            this(name, broken, List.of());
        }

        public int order() {
            return 0;
        }

        public String source() {
            return "test fake writing install logs";
        }

        public Set<Role> roles() {
            return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
        }

        public Availability check(ClientContext context) {
            return Availability.ready("fake");
        }

        public Installed install(ClientContext context) {
            write(context.workspace().provisionLog("own-" + name + ".log"), "installing " + name);
            context.shared("fake-toolchain", () -> write(context.workspace().provisionLog("shared-toolchain.log"), "made once"));
            if (broken) {
                // As GoModule's broken build: the versions it resolved and its warnings (a fallback module path) come with it.
                return new Client.NotInstalled(Availability.broken(name + " failed to install: see its log"), null, List.of(),
                        Map.of(name, "1.0"), warnings, List.of());
            }
            Installed good = Moq.good(name).install(context);
            return new Installed() {
                public Availability availability() {
                    return good.availability();
                }

                public Map<String, String> versions() {
                    return good.versions();
                }

                public List<String> warnings() {
                    return warnings;
                }

                public Side publish(Target target, SideIO io) {
                    return good.publish(target, io);
                }

                public Side subscribe(Target target, SideIO io) {
                    return good.subscribe(target, io);
                }
            };
        }

        private static java.nio.file.Path write(java.nio.file.Path log, String line) {
            try {
                return java.nio.file.Files.writeString(log, line + "\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** An in-process side whose every report is set by the test. */
    static final class InProcessSide implements Side {
        final CompletableFuture<String> frame = new CompletableFuture<>();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        volatile Transport transport;
        volatile boolean stopped;

        public String label() {
            return "in-process";
        }

        public CompletableFuture<String> frame() {
            return frame;
        }

        public CompletableFuture<Integer> exit() {
            return exit;
        }

        public Diagnosis diagnosis() {
            return frame.isDone() ? new Diagnosis(Diagnosis.Kind.FRAME, frame.join()) : Diagnosis.nothing("the page saw nothing");
        }

        public Optional<Transport> transport() {
            return Optional.ofNullable(transport);
        }

        public Optional<String> quicError() {
            return Optional.of("WebTransport: connection refused");
        }

        public Optional<String> firstError() {
            return Optional.empty();
        }

        public Optional<java.io.IOException> artifactFailure() {
            return Optional.empty();
        }

        public List<Path> logs() {
            return List.of();
        }

        public void stop() {
            stopped = true;
        }
    }
}
