package lib.clients;

/** The browser page, delivered bundled by vite. */
public final class JsViteClient extends Browser {
    @Override
    public String name() {
        return "js-vite";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    String variant() {
        return "vite";
    }
}
