package lib.clients;

/** libmoq with the subscriber built by CMake through the shipped package config (clients/c/CMakeLists.txt). */
public final class CCmakeClient extends Libmoq {
    @Override
    public String name() {
        return "c-cmake";
    }

    @Override
    public int order() {
        return 62;
    }

    @Override
    Build build() {
        return Build.CMAKE;
    }
}
