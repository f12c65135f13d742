package uniffi.moq;

/** Kotlin names the getter of an unsigned property with a mangled suffix. */
public class MoqConnectionStats {
    private final Long rttUs;

    MoqConnectionStats(Long rttUs) {
        this.rttUs = rttUs;
    }

    public Long getRttUs_6VbMDqA() {
        return rttUs;
    }
}
