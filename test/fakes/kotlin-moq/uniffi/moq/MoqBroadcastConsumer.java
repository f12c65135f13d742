package uniffi.moq;

import kotlin.coroutines.Continuation;

public class MoqBroadcastConsumer {
    public Object subscribeCatalog(Continuation<? super MoqCatalogConsumer> c) {
        return new MoqCatalogConsumer();
    }

    public Object subscribeMedia(String name, MoqContainer container, MoqSubscription subscription, Continuation<? super MoqMediaConsumer> c) {
        return new MoqMediaConsumer();
    }
}
