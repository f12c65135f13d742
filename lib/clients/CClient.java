package lib.clients;

/** libmoq with the subscriber compiled by hand: cc -I… -L… -lmoq and the system libraries it needs. */
public final class CClient extends Libmoq {
    @Override
    public String name() {
        return "c";
    }

    @Override
    public int order() {
        return 60;
    }

    @Override
    Build build() {
        return Build.DIRECT;
    }
}
