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
//SOURCES lib/AnnexB.java
//SOURCES lib/Availability.java
//SOURCES lib/Cargo.java
//SOURCES lib/CellPool.java
//SOURCES lib/CellResult.java
//SOURCES lib/Channel.java
//SOURCES lib/Cli.java
//SOURCES lib/Client.java
//SOURCES lib/Clients.java
//SOURCES lib/CommonOptions.java
//SOURCES lib/CopyingProbe.java
//SOURCES lib/Crate.java
//SOURCES lib/Fmp4FrameProbe.java
//SOURCES lib/FrameProbe.java
//SOURCES lib/Freshness.java
//SOURCES lib/JsTokenTool.java
//SOURCES lib/JsToolchain.java
//SOURCES lib/JsonReport.java
//SOURCES lib/JunitReport.java
//SOURCES lib/JwkFile.java
//SOURCES lib/Logs.java
//SOURCES lib/MarkdownReport.java
//SOURCES lib/MarkerProbe.java
//SOURCES lib/MediaMatrix.java
//SOURCES lib/MediaSource.java
//SOURCES lib/Proc.java
//SOURCES lib/Relay.java
//SOURCES lib/RelayConfig.java
//SOURCES lib/Report.java
//SOURCES lib/Resources.java
//SOURCES lib/Run.java
//SOURCES lib/RustTokenTool.java
//SOURCES lib/Secrets.java
//SOURCES lib/Subscriber.java
//SOURCES lib/TerminalReport.java
//SOURCES lib/TokenCalls.java
//SOURCES lib/TokenForgery.java
//SOURCES lib/TokenImpls.java
//SOURCES lib/TokenMatrix.java
//SOURCES lib/TokenRelayStage.java
//SOURCES lib/TokenTool.java
//SOURCES lib/Tool.java
//SOURCES lib/UsageError.java
//SOURCES lib/Workspace.java
//SOURCES lib/clients/PlannedClient.java
//SOURCES lib/clients/RustClient.java
