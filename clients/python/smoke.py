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

import moq


def transport(conn: moq.Client) -> str:
    """Which transport won the connect race.

    The bindings expose no transport on a client session, but its stats do tell: the QUIC backend
    reports RTT and byte counters, the WebSocket (qmux) backend reports every field as None.
    The Rust log line `using WebSocket fallback` (WARN, on stderr) says the same from the inside.
    """
    stats = conn.session.stats()
    return "quic" if stats.rtt_us is not None or stats.bytes_sent is not None else "websocket"


def client(args: argparse.Namespace) -> moq.Client:
    url = args.url
    options = {}
    if args.transport == "quic":
        options["websocket_enabled"] = False
    elif args.transport == "any" and os.environ.get("SMOKE_WEBSOCKET_DELAY_MS"):
        # QUIC's head start in the race: the fallback wins only when QUIC really can't get through.
        options["websocket_delay"] = datetime.timedelta(milliseconds=int(os.environ["SMOKE_WEBSOCKET_DELAY_MS"]))
    elif args.transport == "websocket":
        for http, ws in (("http://", "ws://"), ("https://", "wss://")):
            if url.startswith(http):
                url = ws + url[len(http):]
        options["websocket_delay"] = datetime.timedelta(0)
    if args.tls_disable_verify:
        options["tls_verify"] = False
    # An http:// URL makes the package fetch /certificate.sha256 and pin it (the dev bootstrap).
    return moq.Client(url, reconnect=False, **options)


async def publish(args: argparse.Namespace) -> None:
    async with client(args) as conn:
        print(f"transport: {transport(conn)}", file=sys.stderr)
        broadcast = conn.create_broadcast(args.broadcast)
        stream = broadcast.publish_video_stream(moq.VideoFormat.AVC3)
        broadcast.announce()  # broadcasts start hidden
        print(f"publishing {args.broadcast} from stdin", file=sys.stderr)
        # Plain blocking reads are enough: the Rust runtime sends on its own threads and nothing
        # here awaits meanwhile. os.read returns whatever the pipe holds, so each access unit
        # goes out as soon as it arrives.
        stdin = sys.stdin.buffer.fileno()
        while chunk := os.read(stdin, 65536):
            stream.write(chunk)  # the importer finds the access-unit boundaries itself
        stream.finish()
        broadcast.close()
        print("stdin ended", file=sys.stderr)


async def subscribe(args: argparse.Namespace, stage: list[str]) -> None:
    stage[0] = "connecting"
    async with client(args) as conn:
        print(f"transport: {transport(conn)}", file=sys.stderr)
        stage[0] = "waiting for the announcement"
        async with conn.announced_broadcast(args.broadcast) as announced:
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

    # The Rust layer logs nothing until log_level() runs (RUST_LOG, if set, then overrides the level),
    # and it colours even a pipe unless NO_COLOR is set.
    os.environ.setdefault("NO_COLOR", "1")
    moq.log_level("warn")
    stage = ["starting"]
    try:
        if args.role == "publish":
            asyncio.run(publish(args))
        else:
            asyncio.run(asyncio.wait_for(subscribe(args, stage), args.timeout))
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
