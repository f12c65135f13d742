// moq smoke client for the published Go module moq.dev/moq (formerly github.com/moq-dev/moq-go),
// the ergonomic wrapper over the cgo bindings moq.dev/moq-ffi.
//
//	publish   --broadcast B              raw H.264 Annex-B on stdin -> broadcast B
//	subscribe --broadcast B --timeout T  prints `received N bytes from B` on the first non-empty
//	                                     frame and exits 0; exits 1 on timeout
//
// The relay URL comes from --url or env MOQ_CONNECT, so a token in its query stays out of argv.
// --transport websocket dials a ws:// (wss://) URL, which QUIC cannot speak, so the WebSocket
// path wins without a head start. The wrapper has no switch to turn the fallback off, so
// --transport quic cannot prevent one: it refuses a session that fell back instead.
// Once connected, stderr gets one line `transport: quic` or `transport: websocket`.
//
// The harness builds this file in a scratch module after `go get moq.dev/moq@latest`; when only
// the old module path resolves, it rewrites the import below to that path's package.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	moq "moq.dev/moq"
)

type options struct {
	url       string
	broadcast string
	timeout   time.Duration
	transport string
	insecure  bool
}

func main() {
	if len(os.Args) < 2 || (os.Args[1] != "publish" && os.Args[1] != "subscribe") {
		fmt.Fprintln(os.Stderr, "usage: moq-go-client publish|subscribe --broadcast B [--url U] [--timeout S] [--transport quic|websocket|any]")
		os.Exit(2)
	}
	role := os.Args[1]
	flags := flag.NewFlagSet(role, flag.ExitOnError)
	var opts options
	var seconds float64
	flags.StringVar(&opts.url, "url", os.Getenv("MOQ_CONNECT"), "relay URL (default: env MOQ_CONNECT)")
	flags.StringVar(&opts.broadcast, "broadcast", "", "broadcast name")
	flags.Float64Var(&seconds, "timeout", 20, "subscribe: seconds to wait for the first frame")
	flags.StringVar(&opts.transport, "transport", "any", "quic, websocket or any")
	flags.BoolVar(&opts.insecure, "tls-disable-verify", false, "skip certificate verification")
	_ = flags.Parse(os.Args[2:])
	opts.timeout = time.Duration(seconds * float64(time.Second))
	if opts.url == "" || opts.broadcast == "" {
		fmt.Fprintln(os.Stderr, "error: --broadcast and --url (or env MOQ_CONNECT) are required")
		os.Exit(2)
	}
	switch opts.transport {
	case "quic", "websocket", "any":
	default:
		fmt.Fprintf(os.Stderr, "error: --transport must be quic, websocket or any, not %q\n", opts.transport)
		os.Exit(2)
	}

	// The native layer logs nothing until a level is set; warn shows why QUIC failed before a fallback.
	if err := moq.LogLevel("warn"); err != nil {
		fmt.Fprintf(os.Stderr, "warning: cannot set the native log level: %v\n", err)
	}
	var err error
	if role == "publish" {
		err = publish(opts)
	} else {
		err = subscribe(opts)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
}

// dial connects without reconnecting, so a failed session ends the program with its real error.
// An http:// URL makes the bindings fetch /certificate.sha256 and pin it (the dev bootstrap).
func dial(ctx context.Context, opts options) (*moq.Client, error) {
	url := opts.url
	if opts.transport == "websocket" {
		url = strings.Replace(strings.Replace(url, "https://", "wss://", 1), "http://", "ws://", 1)
	}
	clientOpts := []moq.ClientOption{moq.WithReconnect(false)}
	if opts.insecure {
		clientOpts = append(clientOpts, moq.WithTLSVerify(false))
	}
	client, err := moq.Dial(ctx, url, clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", url, err)
	}
	used := transport(client)
	fmt.Fprintf(os.Stderr, "transport: %s\n", used)
	if opts.transport == "quic" && used != "quic" {
		client.Close()
		return nil, errors.New("the session fell back to WebSocket, but --transport quic was asked")
	}
	return client, nil
}

// transport tells which side of the connect race won. The wrapper exposes no transport on a
// session, but its stats do: the QUIC backend reports RTT and byte counters, the WebSocket
// backend leaves every field nil.
func transport(client *moq.Client) string {
	stats := client.Session().Stats()
	if stats.RttUs != nil || stats.BytesSent != nil {
		return "quic"
	}
	return "websocket"
}

func publish(opts options) error {
	client, err := dial(context.Background(), opts)
	if err != nil {
		return err
	}
	defer client.Close()
	broadcast, err := client.CreateBroadcast(opts.broadcast)
	if err != nil {
		return fmt.Errorf("create broadcast: %w", err)
	}
	stream, err := broadcast.PublishVideoStream(moq.VideoFormatAvc3)
	if err != nil {
		return fmt.Errorf("publish video stream: %w", err)
	}
	// A broadcast is only discoverable locally until announced to the relay.
	if err := broadcast.Announce(moq.Route{}); err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	fmt.Fprintf(os.Stderr, "publishing %s from stdin\n", opts.broadcast)
	buf := make([]byte, 64*1024)
	for {
		// The importer splits access units itself, so chunk boundaries don't matter.
		n, readErr := os.Stdin.Read(buf)
		if n > 0 {
			if err := stream.Write(buf[:n]); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			return fmt.Errorf("read stdin: %w", readErr)
		}
	}
	fmt.Fprintln(os.Stderr, "stdin ended")
	if err := stream.Finish(); err != nil {
		return fmt.Errorf("finish stream: %w", err)
	}
	return broadcast.Finish()
}

func subscribe(opts options) error {
	ctx, cancel := context.WithTimeout(context.Background(), opts.timeout)
	defer cancel()
	stage := "connecting"
	err := func() error {
		client, err := dial(ctx, opts)
		if err != nil {
			return err
		}
		defer client.Close()
		stage = "waiting for the announcement"
		announced, err := client.AnnouncedBroadcast(opts.broadcast)
		if err != nil {
			return err
		}
		broadcast, err := announced.Available(ctx)
		if err != nil {
			return err
		}
		stage = "waiting for a catalog with video"
		catalogs, err := broadcast.SubscribeCatalog()
		if err != nil {
			return err
		}
		defer catalogs.Cancel()
		var catalog *moq.Catalog
		// A lazy publisher may add video in a later catalog update.
		for catalog == nil || len(catalog.Video) == 0 {
			if catalog, err = catalogs.Next(ctx); err != nil {
				return err
			}
			if catalog == nil {
				return errors.New("catalog track ended without a video rendition")
			}
		}
		var track string
		var video moq.Video
		for track, video = range catalog.Video {
			break
		}
		stage = "waiting for a frame on track " + track
		frames, err := broadcast.SubscribeMedia(track, video.Container, nil)
		if err != nil {
			return err
		}
		defer frames.Cancel()
		for {
			frame, err := frames.Next(ctx)
			if err != nil {
				return err
			}
			if frame == nil {
				return fmt.Errorf("track %s ended before a non-empty frame", track)
			}
			if len(frame.Payload) > 0 {
				// os.Stdout is unbuffered: the line is out when Printf returns.
				fmt.Printf("received %d bytes from %s\n", len(frame.Payload), opts.broadcast)
				return nil
			}
		}
	}()
	if errors.Is(err, context.DeadlineExceeded) || (err != nil && ctx.Err() != nil) {
		return fmt.Errorf("timeout: no frame from %s within %s (%s)", opts.broadcast, opts.timeout, stage)
	}
	return err
}
