package uniffi.moq;

import kotlin.coroutines.Continuation;

public class MoqClient {
    public void setReconnect(boolean reconnect) {}

    public void setTlsDisableVerify(boolean disable) {}

    public Object connect(String url, Continuation<? super MoqSession> c) {
        return Fake.later(c, new MoqSession());
    }
}
