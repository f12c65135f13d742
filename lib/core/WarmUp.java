package lib.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.tomlj.Toml;

/**
 * Loads and first runs, on a thread of its own, the libraries every run reaches
 * only after parsing its command line: tomlj (the relay config, the expectations),
 * jackson (cargo's install record, the reports) and SHA-256 (each artifact's digest;
 * a short input loads its provider, a long one would only add interpreted work).
 * Their first use costs tens of milliseconds of class initialisation each on a 2-core
 * machine, even with their classes in the class-data archive; begun here, that runs
 * beside picocli's own start-up (building its model by reflection) instead of on the
 * way to the relay. A class being initialised here makes another thread wait for it, never do it
 * twice. A run that only prints help or refuses its input pays for the warm-up on a
 * spare thread without using it.
 */
public final class WarmUp {
    private WarmUp() {}

    /** Starts the warm-up and returns at once; the thread is a daemon, so it never holds up an exit. */
    public static void inBackground() {
        Thread thread = new Thread(WarmUp::run, "warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private static void run() {
        try {
            Toml.parse("[listen]\nbind = \"127.0.0.1:0\"\ntls.generate = [\"localhost\"]\n");
            new ObjectMapper().readTree("{\"installs\": {\"moq-relay 0.0.0\": {\"bins\": [\"moq-relay\"]}}}");
            MessageDigest.getInstance("SHA-256").digest(new byte[64]);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            // Only time is at stake: the run meets the same failure where it uses the library, and reports it there.
        }
    }
}
