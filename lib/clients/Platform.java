package lib.clients;

import java.util.Locale;

/** The operating systems a client can declare it runs on. */
public enum Platform {
    LINUX, MACOS, WINDOWS;

    public static Platform current() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("darwin")) return MACOS;
        if (os.contains("win")) return WINDOWS;
        return LINUX;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
