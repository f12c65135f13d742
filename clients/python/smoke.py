"""moq smoke client for the published PyPI package `moq-rs` (import `moq`, native dep `moq-ffi`).

  publish   --url U --broadcast B              raw H.264 Annex-B on stdin -> broadcast B
  subscribe --url U --broadcast B --timeout T  prints `received N bytes from B` on the first
                                               non-empty frame and exits 0; exits 1 on timeout

--url may be omitted and given in env MOQ_CONNECT instead, so a token in its query stays out of argv.
--transport quic|websocket|any (default any): quic disables the WebSocket fallback; websocket dials
a ws:// (wss://) URL, which QUIC cannot speak, so the WebSocket path wins without a head start.
Once connected, stderr gets one line `transport: quic` or `transport: websocket`.
"""

import argparse
import asyncio
import datetime
import os
import sys
import threading

import moq

# moq-native logs this at WARN exactly when WebSocket wins the connect race (QUIC winning logs nothing
# transport-specific), and the bindings expose no transport property on a client session.
WEBSOCKET_WON = b"using WebSocket fallback"
MARK = b"smoke.py: log mark\n"


class RustLog:
    """Tees fd 2 through a pipe so the Rust layer's log lines can be read back, then copied out."""

    def __init__(self) -> None:
        self.websocket = False
        self._marks = threading.Semaphore(0)
        read, write = os.pipe()
        self._err = os.dup(2)
        os.dup2(write, 2)
        os.close(write)
        sys.stderr = open(2, "w", buffering=1, closefd=False)
        threading.Thread(target=self._pump, args=(read,), daemon=True).start()
        # warn is enough for the fallback line; RUST_LOG, if set, refines it.
        moq.log_level(os.environ.get("SMOKE_LOG_LEVEL", "warn"))

    def _pump(self, fd: int) -> None:
        pending = b""
        while chunk := os.read(fd, 65536):
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line + b"\n" == MARK:
                    self._marks.release()
                    continue
                self.websocket |= WEBSOCKET_WON in line
                os.write(self._err, line + b"\n")

    async def transport(self) -> str:
        # Everything the Rust layer logged before this call is ahead of the mark in the pipe.
        os.write(2, MARK)
        await asyncio.to_thread(self._marks.acquire)
        return "websocket" if self.websocket else "quic"


def client(args: argparse.Namespace) -> moq.Client:
    url = args.url
    options = {}
    if args.transport == "quic":
        options["websocket_enabled"] = False
    elif args.transport == "websocket":
        for http, ws in (("http://", "ws://"), ("https://", "wss://")):
            if url.startswith(http):
                url = ws + url[len(http):]
        options["websocket_delay"] = datetime.timedelta(0)
    if args.tls_disable_verify:
        options["tls_verify"] = False
    # An http:// URL makes the package fetch /certificate.sha256 and pin it (the dev bootstrap).
    return moq.Client(url, reconnect=False, **options)


async def publish(args: argparse.Namespace, log: RustLog) -> None:
    async with client(args) as session:
        print(f"transport: {await log.transport()}", file=sys.stderr)
        broadcast = session.create_broadcast(args.broadcast)
        stream = broadcast.publish_video_stream(moq.VideoFormat.AVC3)
        broadcast.announce()  # broadcasts start hidden
        print(f"publishing {args.broadcast} from stdin", file=sys.stderr)
        stdin = sys.stdin.buffer.fileno()
        while chunk := await asyncio.to_thread(os.read, stdin, 65536):
            # The importer splits access units itself, so chunk boundaries don't matter.
            stream.write(chunk)
        stream.finish()
        broadcast.close()
        print("stdin ended", file=sys.stderr)


async def subscribe(args: argparse.Namespace, log: RustLog, stage: list[str]) -> None:
    stage[0] = "connecting"
    async with client(args) as session:
        print(f"transport: {await log.transport()}", file=sys.stderr)
        stage[0] = "waiting for the announcement"
        async with session.announced_broadcast(args.broadcast) as announced:
            broadcast = await announced.available()
        stage[0] = "waiting for a catalog with video"
        async with await broadcast.subscribe_catalog() as catalogs:
            async for catalog in catalogs:
                if catalog.video:  # a lazy publisher may add video in a later update
                    break
            else:
                raise RuntimeError("catalog track ended without a video rendition")
        name, video = next(iter(catalog.video.items()))
        stage[0] = f"waiting for a frame on track {name}"
        # A generous max age buffers a group that arrives late instead of skipping it.
        subscription = moq.Subscription(max_age_us=10_000_000)
        async with await broadcast.subscribe_media(name, video, subscription) as frames:
            async for frame in frames:
                if frame.payload:
                    print(f"received {len(frame.payload)} bytes from {args.broadcast}", flush=True)
                    return
        raise RuntimeError(f"track {name} ended before a non-empty frame")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("role", choices=["publish", "subscribe"])
    parser.add_argument("--url", default=os.environ.get("MOQ_CONNECT"))
    parser.add_argument("--broadcast", required=True)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--transport", choices=["quic", "websocket", "any"], default="any")
    parser.add_argument("--tls-disable-verify", action="store_true")
    args = parser.parse_args()
    if not args.url:
        parser.error("--url or env MOQ_CONNECT is required")

    log = RustLog()
    stage = ["starting"]
    try:
        if args.role == "publish":
            asyncio.run(publish(args, log))
        else:
            asyncio.run(asyncio.wait_for(subscribe(args, log, stage), args.timeout))
    except KeyboardInterrupt:
        return 130
    except (TimeoutError, asyncio.TimeoutError):
        print(f"timeout: no frame from {args.broadcast} within {args.timeout:g} s ({stage[0]})", file=sys.stderr)
        return 1
    except Exception as err:  # the real error first, whatever its type
        print(f"error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
