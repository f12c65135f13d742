package lib.clients;

/** The browser page, delivered bundled by esbuild. */
public final class JsEsbuildClient extends Browser {
    @Override
    public String name() {
        return "js-esbuild";
    }

    @Override
    public int order() {
        return 21;
    }

    @Override
    String variant() {
        return "esbuild";
    }
}
