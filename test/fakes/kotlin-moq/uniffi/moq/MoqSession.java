package uniffi.moq;

public class MoqSession {
    public MoqConnectionStats stats() {
        return new MoqConnectionStats(Fake.mode().equals("websocket") ? null : Long.valueOf(900));
    }

    public MoqOriginConsumer consumer() {
        return new MoqOriginConsumer();
    }
}
