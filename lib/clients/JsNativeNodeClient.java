package lib.clients;

import java.nio.file.Path;
import java.util.List;

import lib.toolchain.JsRuntime;

/** The native JS subscriber under the current Node LTS from npm (or SMOKE_NODE); node runs TypeScript through tsx. */
public final class JsNativeNodeClient extends JsNative {
    @Override
    public String name() {
        return "js-native-node";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public void checkSettings() {
        JsRuntime.checkNodeSetting();
    }

    @Override
    JsRuntime runtime(ClientContext context) {
        return context.shared("node", () -> JsRuntime.node(context.workspace()));
    }

    @Override
    List<String> run(JsRuntime runtime, Path program) {
        return List.of(runtime.binary().toString(), "--import", "tsx", program.toString());
    }
}
