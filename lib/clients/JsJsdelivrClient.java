package lib.clients;

/** The browser page, delivered with no bundler and no install: the page imports the packages from the jsDelivr ESM CDN. */
public final class JsJsdelivrClient extends Browser {
    @Override
    public String name() {
        return "js-jsdelivr";
    }

    @Override
    public int order() {
        return 22;
    }

    @Override
    String variant() {
        return "jsdelivr";
    }
}
