package uniffi.moq;

import kotlin.coroutines.Continuation;

public class MoqMediaConsumer {
    public Object next(Continuation<? super MoqMediaFrame> c) {
        return Fake.mode().equals("silent") ? Fake.never() : new MoqMediaFrame();
    }
}
