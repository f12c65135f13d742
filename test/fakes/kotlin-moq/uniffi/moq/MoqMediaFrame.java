package uniffi.moq;

public class MoqMediaFrame {
    public byte[] getPayload() {
        return "fake".getBytes();
    }
}
