package uniffi.moq;

import kotlin.coroutines.Continuation;

public class MoqCatalogConsumer {
    public Object next(Continuation<? super MoqCatalog> c) {
        return new MoqCatalog();
    }
}
