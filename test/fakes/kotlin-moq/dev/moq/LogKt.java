package dev.moq;

public final class LogKt {
    public static void logLevel(String level) {}
}
