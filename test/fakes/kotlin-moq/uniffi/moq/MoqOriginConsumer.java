package uniffi.moq;

public class MoqOriginConsumer {
    public MoqAnnouncedBroadcast announcedBroadcast(String path) {
        return new MoqAnnouncedBroadcast();
    }
}
