package uniffi.moq;

public class MoqSubscription {}
