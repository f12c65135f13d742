package uniffi.moq;

public class MoqContainer {}
