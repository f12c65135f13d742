package lib.clients;

/** libmoq with the subscriber compiled on the flags the shipped moq.pc gives pkg-config. */
public final class CPkgconfigClient extends Libmoq {
    @Override
    public String name() {
        return "c-pkgconfig";
    }

    @Override
    public int order() {
        return 61;
    }

    @Override
    Build build() {
        return Build.PKGCONFIG;
    }
}
