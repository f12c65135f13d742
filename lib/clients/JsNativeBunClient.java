package lib.clients;

import java.nio.file.Path;
import java.util.List;

import lib.toolchain.JsRuntime;

/** The native JS subscriber under bun from npm, which runs TypeScript itself. */
public final class JsNativeBunClient extends JsNative {
    @Override
    public String name() {
        return "js-native-bun";
    }

    @Override
    public int order() {
        return 41;
    }

    @Override
    JsRuntime runtime(ClientContext context) {
        return context.shared("bun", () -> JsRuntime.bun(context.workspace()));
    }

    @Override
    List<String> run(JsRuntime runtime, Path program) {
        return List.of(runtime.binary().toString(), program.toString());
    }
}
