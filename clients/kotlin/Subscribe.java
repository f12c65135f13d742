///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS dev.moq:moq:RELEASE

// moq smoke client for Maven Central dev.moq:moq, the Kotlin wrapper over the uniffi bindings
// dev.moq:moq-ffi (package uniffi.moq, native libraries loaded through JNA).
//
//   subscribe --broadcast B --timeout T  prints `received N bytes from B` on the first non-empty
//                                        frame and exits 0; exits 1 on timeout
//
// The relay URL comes from --url or env MOQ_CONNECT, so a token in its query stays out of argv.
// --transport websocket dials a ws:// (wss://) URL, which QUIC cannot speak, so the WebSocket path
// wins without a head start; the bindings cannot turn the fallback off, so --transport quic refuses
// a session that fell back instead. Once connected, stderr gets `transport: quic|websocket`.
//
// Written in Java against the JVM shape of the Kotlin API: every call that is a Kotlin `suspend fun`
// takes a trailing Continuation, which await() supplies and waits on.

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import kotlin.Result;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import uniffi.moq.MoqBroadcastConsumer;
import uniffi.moq.MoqCatalog;
import uniffi.moq.MoqCatalogConsumer;
import uniffi.moq.MoqClient;
import uniffi.moq.MoqMediaConsumer;
import uniffi.moq.MoqMediaFrame;
import uniffi.moq.MoqSession;
import uniffi.moq.MoqVideo;

public class Subscribe {
    private static volatile String stage = "starting";

    public static void main(String... args) {
        String url = System.getenv("MOQ_CONNECT");
        String broadcast = null;
        String transport = "any";
        double timeout = 20;
        boolean insecure = false;
        if (args.length == 0 || !args[0].equals("subscribe")) usage("the first argument must be subscribe");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = value(args, ++i);
                case "--broadcast" -> broadcast = value(args, ++i);
                case "--timeout" -> timeout = Double.parseDouble(value(args, ++i));
                case "--transport" -> transport = value(args, ++i);
                case "--tls-disable-verify" -> insecure = true;
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (url == null || url.isBlank() || broadcast == null) usage("--broadcast and --url (or env MOQ_CONNECT) are required");
        if (!transport.matches("quic|websocket|any")) usage("--transport must be quic, websocket or any");
        watchdog(broadcast, timeout);
        try {
            subscribe(url, broadcast, transport, insecure);
        } catch (Throwable e) {
            System.err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
        // halt: the native session's threads must not hold the JVM open, and all that matters is flushed.
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void subscribe(String url, String name, String transport, boolean insecure) throws Throwable {
        // The native layer logs nothing until a level is set; warn shows why QUIC failed before a fallback.
        dev.moq.LogKt.logLevel("warn");
        stage = "connecting";
        MoqClient client = new MoqClient();
        client.setReconnect(false);
        if (insecure) client.setTlsDisableVerify(true);
        // An http:// URL makes the bindings fetch /certificate.sha256 and pin it (the dev bootstrap).
        String dialed = transport.equals("websocket") ? url.replaceFirst("^http", "ws") : url;
        MoqSession session = await(c -> client.connect(dialed, c));
        String used = transportOf(session);
        System.err.println("transport: " + used);
        if (transport.equals("quic") && !used.equals("quic")) throw new IllegalStateException("the session fell back to WebSocket, but --transport quic was asked");

        stage = "waiting for the announcement";
        MoqBroadcastConsumer broadcast = await(c -> session.consumer().announcedBroadcast(name).available(c));
        stage = "waiting for a catalog with video";
        MoqCatalogConsumer catalogs = await(c -> broadcast.subscribeCatalog(c));
        MoqCatalog catalog = null;
        // A lazy publisher may add video in a later catalog update.
        while (catalog == null || catalog.getVideo().isEmpty()) {
            catalog = await(c -> catalogs.next(c));
            if (catalog == null) throw new IllegalStateException("catalog track ended without a video rendition");
        }
        Map.Entry<String, MoqVideo> video = catalog.getVideo().entrySet().iterator().next();
        stage = "waiting for a frame on track " + video.getKey();
        MoqMediaConsumer frames = await(c -> broadcast.subscribeMedia(video.getKey(), video.getValue().getContainer(), null, c));
        while (true) {
            MoqMediaFrame frame = await(c -> frames.next(c));
            if (frame == null) throw new IllegalStateException("track " + video.getKey() + " ended before a non-empty frame");
            if (frame.getPayload().length > 0) {
                System.out.println("received " + frame.getPayload().length + " bytes from " + name);
                return;
            }
        }
    }

    /**
     * Calls a suspend function with a continuation of our own and waits for its result. The
     * bindings resume it on their own thread; no coroutine dispatcher is needed.
     */
    @SuppressWarnings("unchecked")
    static <T> T await(Function<Continuation<? super T>, Object> call) throws Throwable {
        CompletableFuture<Object> resumed = new CompletableFuture<>();
        Object now = call.apply(new Continuation<T>() {
            @Override
            public CoroutineContext getContext() {
                return EmptyCoroutineContext.INSTANCE;
            }

            @Override
            public void resumeWith(Object result) {
                resumed.complete(result);
            }
        });
        Object result = now == IntrinsicsKt.getCOROUTINE_SUSPENDED() ? resumed.get() : now;
        if (result instanceof Result.Failure failure) throw failure.exception;
        return (T) result;
    }

    /**
     * Which side of the connect race won. The bindings expose no transport on a session, but its
     * stats do: the QUIC backend reports RTT and byte counters, the WebSocket backend leaves every
     * field null. The getters are looked up by prefix because Kotlin mangles the names of
     * properties with unsigned types (getRttUs-6VbMDqA).
     */
    static String transportOf(MoqSession session) throws ReflectiveOperationException {
        Object stats = session.stats();
        for (Method getter : stats.getClass().getMethods()) {
            if ((getter.getName().startsWith("getRttUs") || getter.getName().startsWith("getBytesSent"))
                    && getter.getParameterCount() == 0 && getter.invoke(stats) != null) return "quic";
        }
        return "websocket";
    }

    /** Prints the timeout with the stage it stopped at, and ends the program, when the time is up. */
    private static void watchdog(String broadcast, double seconds) {
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep((long) (seconds * 1000));
            } catch (InterruptedException e) {
                return;
            }
            System.err.printf("timeout: no frame from %s within %s s (%s)%n", broadcast, seconds, stage);
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }, "timeout");
        timer.setDaemon(true);
        timer.start();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) usage(args[i - 1] + " needs a value");
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("error: " + problem);
        System.err.println("usage: Subscribe subscribe --broadcast B [--url U] [--timeout S] [--transport quic|websocket|any] [--tls-disable-verify]");
        System.exit(2);
    }
}
