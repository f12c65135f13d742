// moq smoke: native-JS subscriber on the published @moq packages, for node and bun.
//
//   subscribe --url U --broadcast B --timeout T [--transport quic|websocket|any]
//
// Prints `received N bytes from B` on stdout for the first non-empty video frame and exits 0;
// exits 1 at the timeout, 2 on an error. `transport: quic|websocket` goes to stderr once connected.
// The URL may come from env MOQ_CONNECT instead of --url, so a token never lands in argv.

import { parseArgs } from "node:util";
import * as Catalog from "@moq/hang/catalog";
import * as Json from "@moq/json";
import * as Moq from "@moq/net";

// @moq/net logs its own progress with console.debug/log, which print to stdout under node and
// bun; stdout must carry only the marker line, so send them to stderr.
console.log = console.error;
console.debug = console.error;

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		url: { type: "string" },
		broadcast: { type: "string" },
		timeout: { type: "string", default: "30" },
		transport: { type: "string", default: "any" },
	},
});

const url = values.url ?? process.env.MOQ_CONNECT;
const name = values.broadcast;
const timeout = Number(values.timeout);
const transport = values.transport;
if (positionals[0] !== "subscribe" || !url || !name || !(timeout > 0) || !["quic", "websocket", "any"].includes(transport)) {
	console.error("usage: subscribe --url U --broadcast B --timeout SECONDS [--transport quic|websocket|any] (or env MOQ_CONNECT=U)");
	process.exit(2);
}

setTimeout(() => {
	console.error(`timeout: no frame from ${name} within ${timeout}s`);
	process.exit(1);
}, timeout * 1000);

// Neither node nor bun has WebTransport; moq's polyfill is a prebuilt NAPI addon that fails at
// import time where its binary can't load, so import it lazily to report that error, not crash.
// Without it @moq/net has only its WebSocket fallback, which is how websocket is forced.
async function installWebTransport(): Promise<void> {
	if ("WebTransport" in globalThis) return;
	try {
		const polyfill = await import("@moq/web-transport");
		polyfill.install();
	} catch (err) {
		// napi-rs throws a generic "Cannot find native binding" whose `cause` chain holds the
		// real dlopen errors (one per place it looked), so print the whole chain.
		console.error(`@moq/web-transport failed to load: ${err}`);
		for (let cause = (err as Error).cause; cause; cause = (cause as Error).cause) {
			console.error(`  caused by: ${cause}`);
		}
		if (transport === "quic") {
			console.error("no WebTransport, so --transport quic is impossible");
			process.exit(2);
		}
		console.error("no WebTransport: continuing with WebSocket only");
	}
}

async function main(): Promise<void> {
	if (transport !== "websocket") await installWebTransport();

	// Under quic the harness gives QUIC a head start (SMOKE_WEBSOCKET_DELAY_MS) rather than no
	// fallback at all, so a WebSocket session means QUIC could not get through, and it says so.
	const headStart = Number(process.env.SMOKE_WEBSOCKET_DELAY_MS ?? 0);
	const websocket = transport !== "quic" ? { enabled: true } : headStart > 0 ? { enabled: true, delay: headStart } : { enabled: false };
	const conn = await Moq.Connection.connect(new URL(url as string), { websocket });
	// `transport` is what the session really runs over ("webtransport" is QUIC); the harness judges it.
	const used = conn.transport === "websocket" ? "websocket" : "quic";
	console.error(`transport: ${used}`);

	// Subscribing before the relay knows the broadcast gets the catalog stream reset, so wait.
	const path = Moq.Path.from(name as string);
	const announced = conn.announced(path);
	for (;;) {
		const event = await announced.next();
		if (!event) throw new Error(`announcement stream closed before ${name} was announced`);
		if (event.active) break;
	}
	announced.close();

	const broadcast = conn.consume(path);
	const catalog = new Json.Snapshot.Consumer<Catalog.Root>(
		broadcast.subscribe("catalog.json", { priority: Catalog.PRIORITY.catalog }),
		{ schema: Catalog.RootSchema },
	);
	let video: string | undefined;
	for await (const root of catalog) {
		video = Object.keys(root.video?.renditions ?? {})[0];
		if (video) break;
	}
	if (!video) throw new Error(`catalog of ${name} ended without a video track`);

	const track = broadcast.subscribe(video, { priority: Catalog.PRIORITY.video });
	for (;;) {
		const frame = await track.readFrame();
		if (!frame) throw new Error(`video track ${video} ended before a non-empty frame`);
		if (frame.payload.byteLength > 0) {
			process.stdout.write(`received ${frame.payload.byteLength} bytes from ${name}\n`, () => process.exit(0));
			return;
		}
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(2);
});
