// The page side of the browser client, the same source for the vite, esbuild and jsDelivr variants.
//
//   ?role=publish|subscribe&url=<relay http url>&broadcast=<name>&transport=quic|websocket|any
//
// A driver only loads the page and reads state: everything it needs is in window.smoke (mirrored
// into <html data-smoke-state>), and every event is also one console line:
//   transport: quic|websocket            once per established session (quic = WebTransport)
//   received N bytes from B              the first video frame(s) a subscriber got (N > 0)
//   rendered: canvas painted             the subscriber's canvas shows a non-black pixel
//   audio: received N bytes from B       the first audio a subscriber got
//   publishing video <codec> to a subscriber   the publisher's H.264 encoder is serving someone
//   error: <message>                     an uncaught error, or a fatal one (state "error")
import "@moq/publish/element";
import "@moq/watch/element";

const params = new URLSearchParams(location.search);
const role = params.get("role");
const relay = params.get("url");
const broadcast = params.get("broadcast");
const requested = params.get("transport") ?? "any";

const smoke = {
	role,
	state: "connecting",
	transport: null,
	frameBytes: null,
	rendered: false,
	audio: false,
	error: null,
	versions: {},
	// Beyond the contract, for the report.
	broadcast,
	requested,
	bundler: null,
	protocol: null,
	codec: null,
	frames: 0,
	errors: [],
	// Milliseconds since navigation start.
	timings: {},
};
window.smoke = smoke;

const stage = document.getElementById("stage");
const status = document.getElementById("status");

function update() {
	document.documentElement.dataset.smokeState = smoke.state;
	status.textContent = JSON.stringify(smoke, null, 1);
}

function log(line) {
	console.log(line);
}

function since() {
	return Math.round(performance.now());
}

function describe(err) {
	return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

// Recorded, but the state stays: a late exception after the first frame does not undo it.
function recordError(err) {
	const message = describe(err);
	smoke.errors.push(message);
	smoke.error ??= message;
	log(`error: ${message}`);
	update();
}

// Nothing more will happen on this page.
function fatal(err) {
	recordError(err);
	if (smoke.state !== "frame") smoke.state = "error";
	update();
}

addEventListener("error", (event) => recordError(event.error ?? event.message));
addEventListener("unhandledrejection", (event) => recordError(event.reason));

// @moq/net >= 0.2 tells the transport as Established.transport; older copies (the one
// @moq/publish 0.2 pins) only say it in their own console line, so listen for that too.
let announcedTransport = null;
for (const level of ["log", "warn", "debug", "info"]) {
	const original = console[level].bind(console);
	console[level] = (...args) => {
		const match = args.map(String).join(" ").match(/connected via (WebSocket|WebTransport)/);
		if (match) announcedTransport = match[1].toLowerCase();
		original(...args);
	};
}

// transport=websocket: a ws:// URL makes the WebTransport attempt fail at once (it needs https),
// so only the WebSocket (qmux) leg of the race can connect. transport=quic: see configure().
function relayUrl() {
	const url = new URL(relay);
	if (requested === "websocket") url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
	return url.toString();
}

function configure(element) {
	// Set before the element joins the document: the connection reads it on each attempt.
	// transport=quic races with QUIC's head start (?wsdelay= ms), so a fallback means QUIC could not get through.
	if (requested === "quic") element.connection.websocket = { enabled: true, delay: Number(params.get("wsdelay") ?? 5000) };
	element.connection.established.subscribe((connection) => {
		if (!connection) return;
		smoke.transport = connection.transport ?? announcedTransport;
		smoke.protocol = connection.version ?? null;
		if (smoke.state === "connecting") smoke.state = "connected";
		smoke.timings.connected ??= since();
		const name = { webtransport: "quic", websocket: "websocket" }[smoke.transport] ?? "unknown";
		log(`transport: ${name}`);
		update();
	});
	// Rejects once the reconnect loop gives up.
	element.connection.closed.catch((err) => fatal(`connection gave up: ${describe(err)}`));
}

// Read back a thumbnail, not the renderer's own canvas: repeated reads of that one make Chromium
// warn about willReadFrequently.
const thumbnail = new OffscreenCanvas(32, 24).getContext("2d", { willReadFrequently: true });

function painted(canvas) {
	if (!canvas.width || !canvas.height) return false;
	thumbnail.drawImage(canvas, 0, 0, 32, 24);
	const { data } = thumbnail.getImageData(0, 0, 32, 24);
	// The renderer clears to black until its first frame.
	for (let i = 0; i < data.length; i += 4) {
		if (data[i] + data[i + 1] + data[i + 2] > 12) return true;
	}
	return false;
}

function subscribe() {
	const watch = document.createElement("moq-watch");
	watch.setAttribute("url", relayUrl());
	watch.setAttribute("name", broadcast);
	// The canvas is what makes the element subscribe to video at all.
	const canvas = document.createElement("canvas");
	watch.append(canvas);
	configure(watch);
	stage.append(watch);

	watch.video.out.stats.subscribe((stats) => {
		if (!stats?.frameCount) return;
		smoke.frames = stats.frameCount;
		if (smoke.frameBytes !== null) return;
		// Signal writes coalesce per microtask, so the first update can cover more than one frame.
		smoke.frameBytes = stats.bytesReceived;
		smoke.codec = watch.video.source.out.config.peek()?.codec ?? null;
		smoke.state = "frame";
		smoke.timings.frame = since();
		log(`received ${stats.bytesReceived} bytes from ${broadcast}`);
		update();
	});

	watch.audio.out.stats.subscribe((stats) => {
		if (!stats?.bytesReceived || smoke.audio) return;
		smoke.audio = true;
		smoke.timings.audio = since();
		log(`audio: received ${stats.bytesReceived} bytes from ${broadcast}`);
		update();
	});

	const poll = setInterval(() => {
		if (!painted(canvas)) return;
		clearInterval(poll);
		smoke.rendered = true;
		smoke.timings.rendered = since();
		log("rendered: canvas painted");
		update();
	}, 100);
}

function publish() {
	const element = document.createElement("moq-publish");
	element.setAttribute("url", relayUrl());
	element.setAttribute("name", broadcast);
	element.setAttribute("source", "camera");
	// The matrix is about H.264; left alone, the encoder probe prefers hardware VP9 where it exists.
	const video = element.broadcast.video.hd;
	video.config.set({ codec: "avc1" });
	configure(element);
	stage.append(element);

	// The publisher is lazy: it encodes only once a subscriber asks for the track.
	const serving = () => {
		const codec = video.catalog.peek()?.codec;
		if (!codec || !video.active.peek() || smoke.codec) return;
		smoke.codec = codec;
		smoke.state = "frame";
		smoke.timings.frame = since();
		log(`publishing video ${codec} to a subscriber`);
		update();
	};
	video.catalog.subscribe(serving);
	video.active.subscribe(serving);
}

// Bundles carry moq-versions.json (written by the build); the jsDelivr page instead reads the
// versioned /npm/@moq/<name>@<version>/ URLs it loaded, or the "Original file" banner of the
// unversioned entry points.
async function bundledVersions() {
	if (!document.querySelector('script[type="importmap"]')) {
		const built = await (await fetch("./moq-versions.json")).json();
		smoke.bundler = built.bundler;
		return built.packages;
	}
	smoke.bundler = "jsdelivr";
	const found = {};
	for (const { name: url } of performance.getEntriesByType("resource")) {
		if (!url.includes("/npm/@moq/")) continue;
		let match = url.match(/\/npm\/(@moq\/[^@/]+)@([^/]+)\//);
		if (!match) {
			const banner = (await (await fetch(url)).text()).slice(0, 2000);
			match = banner.match(/Original file: \/npm\/(@moq\/[^@/]+)@([^/\s]+)\//);
		}
		if (!match) continue;
		found[match[1]] = [...new Set([...(found[match[1]] ?? []), match[2]])].sort();
	}
	return found;
}

function main() {
	update();
	bundledVersions().then(
		(versions) => {
			smoke.versions = versions;
			log(`versions: ${smoke.bundler} ${JSON.stringify(versions)}`);
			update();
		},
		(err) => recordError(`could not list the bundled @moq versions: ${describe(err)}`),
	);
	if (!relay || !broadcast) return fatal("missing ?url= or ?broadcast=");
	if (!["quic", "websocket", "any"].includes(requested)) return fatal(`bad ?transport=${requested}: quic, websocket or any`);
	log(`${role} ${broadcast} at ${relay} (transport ${requested})`);
	if (role === "subscribe") subscribe();
	else if (role === "publish") publish();
	else return fatal(`bad ?role=${role}: publish or subscribe`);
	update();
}

main();
