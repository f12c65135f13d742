package uniffi.moq;

import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;

/** How the stand-in suspend functions answer: "silent" never resumes; connect resumes from another thread, as the bindings do. */
final class Fake {
    static String mode() {
        String mode = System.getenv("FAKE_MOQ_MODE");
        return mode == null ? "frame" : mode;
    }

    static Object later(Continuation<?> c, Object value) {
        new Thread(() -> c.resumeWith(value)).start();
        return IntrinsicsKt.getCOROUTINE_SUSPENDED();
    }

    static Object never() {
        return IntrinsicsKt.getCOROUTINE_SUSPENDED();
    }
}
