///usr/bin/env jbang "$0" "$@" ; exit $?
// What jbang-catalog.json runs, so `jbang smoke@moq-dev/smoke` works from any
// directory. A catalog alias fetches the scripts by URL, and JBang skips
// //SOURCES globs for a script read from a URL, so this file names every source
// of the aliased scripts one by one; the alias picks the main class.
// CatalogTest fails, naming the missing lines, when this list falls behind.
//JAVA 17+
// The aliases name their main class; run directly, this is the smoke test.
//MAIN smoke
//SOURCES smoke.java
//SOURCES token.java
//SOURCES lib/clients/Client.java
//SOURCES lib/clients/ClientContext.java
//SOURCES lib/clients/Clients.java
//SOURCES lib/clients/JsNative.java
//SOURCES lib/clients/JsNativeBunClient.java
//SOURCES lib/clients/JsNativeNodeClient.java
//SOURCES lib/clients/Platform.java
//SOURCES lib/clients/PythonClient.java
//SOURCES lib/clients/RustClient.java
//SOURCES lib/core/ArtifactFailure.java
//SOURCES lib/core/Availability.java
//SOURCES lib/core/Cli.java
//SOURCES lib/core/Commands.java
//SOURCES lib/core/InstallErrors.java
//SOURCES lib/core/Logs.java
//SOURCES lib/core/Proc.java
//SOURCES lib/core/Resources.java
//SOURCES lib/core/RuntimeErrors.java
//SOURCES lib/core/Secrets.java
//SOURCES lib/core/Text.java
//SOURCES lib/core/UsageError.java
//SOURCES lib/core/Workspace.java
//SOURCES lib/delivery/Cargo.java
//SOURCES lib/delivery/Channel.java
//SOURCES lib/delivery/Crate.java
//SOURCES lib/delivery/MoqCli.java
//SOURCES lib/delivery/Tool.java
//SOURCES lib/freshness/Freshness.java
//SOURCES lib/matrix/MediaMatrix.java
//SOURCES lib/media/AnnexB.java
//SOURCES lib/media/CopyingProbe.java
//SOURCES lib/media/Diagnosis.java
//SOURCES lib/media/Fmp4FrameProbe.java
//SOURCES lib/media/FrameProbe.java
//SOURCES lib/media/Launch.java
//SOURCES lib/media/MarkerProbe.java
//SOURCES lib/media/MediaSource.java
//SOURCES lib/media/ProcessSide.java
//SOURCES lib/media/Side.java
//SOURCES lib/media/Transport.java
//SOURCES lib/relay/Relay.java
//SOURCES lib/relay/RelayConfig.java
//SOURCES lib/report/CellResult.java
//SOURCES lib/report/JsonReport.java
//SOURCES lib/report/JunitReport.java
//SOURCES lib/report/MarkdownReport.java
//SOURCES lib/report/Report.java
//SOURCES lib/report/ReportText.java
//SOURCES lib/report/TerminalReport.java
//SOURCES lib/run/CellPool.java
//SOURCES lib/run/CommonOptions.java
//SOURCES lib/run/Run.java
//SOURCES lib/token/JsTokenTool.java
//SOURCES lib/token/JwkFile.java
//SOURCES lib/token/RustTokenTool.java
//SOURCES lib/token/TokenCalls.java
//SOURCES lib/token/TokenForgery.java
//SOURCES lib/token/TokenImpls.java
//SOURCES lib/token/TokenMatrix.java
//SOURCES lib/token/TokenRelayStage.java
//SOURCES lib/token/TokenTool.java
//SOURCES lib/toolchain/JsRuntime.java
//SOURCES lib/toolchain/JsToolchain.java
//SOURCES lib/toolchain/Latest.java
//SOURCES lib/toolchain/Npm.java
//SOURCES lib/toolchain/PythonEnv.java
