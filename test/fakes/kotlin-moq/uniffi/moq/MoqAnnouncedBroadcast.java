package uniffi.moq;

import kotlin.coroutines.Continuation;

public class MoqAnnouncedBroadcast {
    public Object available(Continuation<? super MoqBroadcastConsumer> c) {
        return new MoqBroadcastConsumer();
    }
}
