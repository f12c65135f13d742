// moq smoke client for moq-dev/moq-swift.
//
//   subscribe --broadcast B --timeout T  prints `received N bytes from B` on the first non-empty
//                                        frame and exits 0; exits 1 on timeout
//
// The relay URL comes from --url or env MOQ_CONNECT, so a token in its query stays out of argv.
// --transport websocket dials a ws:// (wss://) URL, which QUIC cannot speak, so the WebSocket path
// wins without a head start; the wrapper cannot turn the fallback off, so --transport quic refuses
// a session that fell back instead. Once connected, stderr gets `transport: quic|websocket`.
import Foundation
import Moq

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
    exit(code)
}

func usage(_ problem: String) -> Never {
    fail("error: \(problem)\nusage: moq-smoke subscribe --broadcast B [--url U] [--timeout S] [--transport quic|websocket|any] [--tls-disable-verify]", code: 2)
}

var args = Array(CommandLine.arguments.dropFirst())
guard args.first == "subscribe" else { usage("the first argument must be subscribe") }
args.removeFirst()
var url = ProcessInfo.processInfo.environment["MOQ_CONNECT"] ?? ""
var name = ""
var timeout = 20.0
var transport = "any"
var insecure = false
while !args.isEmpty {
    let flag = args.removeFirst()
    if flag == "--tls-disable-verify" { insecure = true; continue }
    guard !args.isEmpty else { usage("\(flag) needs a value") }
    let value = args.removeFirst()
    switch flag {
    case "--url": url = value
    case "--broadcast": name = value
    case "--timeout": timeout = Double(value) ?? timeout
    case "--transport": transport = value
    default: usage("unknown argument \(flag)")
    }
}
if url.isEmpty || name.isEmpty { usage("--broadcast and --url (or env MOQ_CONNECT) are required") }
if !["quic", "websocket", "any"].contains(transport) { usage("--transport must be quic, websocket or any") }

/// Where the subscriber is, for the timeout message.
actor Stage {
    var now = "connecting"
    func set(_ stage: String) { now = stage }
}
let stage = Stage()

/// Which side of the connect race won. The wrapper exposes no transport on a session, but its
/// stats do: the QUIC backend reports RTT and byte counters, the WebSocket backend leaves them nil.
func transportOf(_ session: Session) -> String {
    let stats = session.stats()
    return stats.rttUs != nil || stats.bytesSent != nil ? "quic" : "websocket"
}

func subscribe() async throws {
    // The native layer logs nothing until a level is set; warn shows why QUIC failed before a fallback.
    try? logLevel("warn")
    let client = Client()
    if insecure { client.setTlsVerify(false) }
    // An http:// URL makes the bindings fetch /certificate.sha256 and pin it (the dev bootstrap).
    var dialed = url
    if transport == "websocket", dialed.hasPrefix("http") { dialed = "ws" + dialed.dropFirst(4) }
    let session = try await client.connect(to: dialed)
    let used = transportOf(session)
    FileHandle.standardError.write("transport: \(used)\n".data(using: .utf8)!)
    if transport == "quic" && used != "quic" {
        throw NSError(domain: "moq-smoke", code: 1, userInfo: [NSLocalizedDescriptionKey: "the session fell back to WebSocket, but --transport quic was asked"])
    }

    await stage.set("waiting for the announcement")
    let broadcast = try await session.consumer.announcedBroadcast(path: name).available()
    await stage.set("waiting for a catalog with video")
    let catalogs = try await broadcast.subscribeCatalog()
    var found: (String, Video)?
    // A lazy publisher may add video in a later catalog update.
    while found == nil {
        guard let catalog = try await catalogs.next() else {
            throw NSError(domain: "moq-smoke", code: 1, userInfo: [NSLocalizedDescriptionKey: "catalog track ended without a video rendition"])
        }
        found = catalog.video.first.map { ($0.key, $0.value) }
    }
    let (track, video) = found!
    await stage.set("waiting for a frame on track \(track)")
    let frames = try await broadcast.subscribeMedia(name: track, container: video.container)
    while let frame = try await frames.next() {
        if !frame.payload.isEmpty {
            print("received \(frame.payload.count) bytes from \(name)")
            fflush(stdout)
            return
        }
    }
    throw NSError(domain: "moq-smoke", code: 1, userInfo: [NSLocalizedDescriptionKey: "track \(track) ended before a non-empty frame"])
}

Task {
    try? await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
    fail("timeout: no frame from \(name) within \(timeout) s (\(await stage.now))", code: 1)
}
do {
    try await subscribe()
    // _exit: the native session's threads must not run teardown after the evidence is out.
    _exit(0)
} catch {
    fail("error: \(error)", code: 1)
}
