package uniffi.moq;

public class MoqVideo {
    public MoqContainer getContainer() {
        return new MoqContainer();
    }
}
