// Package moq stands in for the published moq.dev/moq in tests: the same API surface that
// clients/go/main.go uses, with no network and no cgo. A test serves it from a file GOPROXY,
// so the harness's go get + go build run for real. FAKE_MOQ_MODE picks the behaviour:
// "frame" (default) delivers one frame, "silent" never does, "websocket" reports a
// WebSocket session, "refused" fails to connect.
package moq

import (
	"context"
	"errors"
	"os"
)

type ClientOption func()

func WithReconnect(bool) ClientOption { return func() {} }
func WithTLSVerify(bool) ClientOption { return func() {} }
func LogLevel(string) error           { return nil }

type Client struct{}
type Session struct{}

type ConnectionStats struct {
	RttUs     *uint64
	BytesSent *uint64
}

func Dial(ctx context.Context, url string, opts ...ClientOption) (*Client, error) {
	if os.Getenv("FAKE_MOQ_MODE") == "refused" {
		return nil, errors.New("fake: connection refused by " + url)
	}
	return &Client{}, nil
}

func (c *Client) Close() error       { return nil }
func (c *Client) Session() *Session { return &Session{} }

func (s *Session) Stats() ConnectionStats {
	if os.Getenv("FAKE_MOQ_MODE") == "websocket" {
		return ConnectionStats{}
	}
	rtt := uint64(1000)
	return ConnectionStats{RttUs: &rtt}
}

type VideoFormat int

const VideoFormatAvc3 VideoFormat = 1

type Route struct{ Hops []uint64 }

type BroadcastProducer struct{}
type MediaStreamProducer struct{}

func (c *Client) CreateBroadcast(path string) (*BroadcastProducer, error) { return &BroadcastProducer{}, nil }
func (b *BroadcastProducer) PublishVideoStream(VideoFormat) (*MediaStreamProducer, error) {
	return &MediaStreamProducer{}, nil
}
func (b *BroadcastProducer) Announce(Route) error      { return nil }
func (b *BroadcastProducer) Finish() error             { return nil }
func (m *MediaStreamProducer) Write(data []byte) error { return nil }
func (m *MediaStreamProducer) Finish() error           { return nil }

type Container interface{}
type Subscription struct{}
type Video struct{ Container Container }
type Catalog struct{ Video map[string]Video }
type MediaFrame struct{ Payload []byte }

type AnnouncedBroadcast struct{}
type BroadcastConsumer struct{}
type CatalogConsumer struct{}
type MediaConsumer struct{}

func (c *Client) AnnouncedBroadcast(path string) (*AnnouncedBroadcast, error) {
	return &AnnouncedBroadcast{}, nil
}
func (a *AnnouncedBroadcast) Available(ctx context.Context) (*BroadcastConsumer, error) {
	return &BroadcastConsumer{}, nil
}
func (b *BroadcastConsumer) SubscribeCatalog() (*CatalogConsumer, error) { return &CatalogConsumer{}, nil }
func (c *CatalogConsumer) Next(ctx context.Context) (*Catalog, error) {
	return &Catalog{Video: map[string]Video{"video.avc3": {}}}, nil
}
func (c *CatalogConsumer) Cancel() {}
func (b *BroadcastConsumer) SubscribeMedia(name string, container Container, s *Subscription) (*MediaConsumer, error) {
	return &MediaConsumer{}, nil
}
func (m *MediaConsumer) Next(ctx context.Context) (*MediaFrame, error) {
	if os.Getenv("FAKE_MOQ_MODE") == "silent" {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return &MediaFrame{Payload: []byte("fake")}, nil
}
func (m *MediaConsumer) Cancel() {}
