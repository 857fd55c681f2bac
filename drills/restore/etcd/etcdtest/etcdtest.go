package etcdtest

import (
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// readyTimeout bounds an embedded etcd's start; it is ready in well under
// a second on an idle machine.
const readyTimeout = 30 * time.Second

// Start starts a real etcd in the test on free 127.0.0.1 ports, holding
// keys (each with a small value), and returns its client. Both stop when
// the test ends.
func Start(t testing.TB, keys []string) *clientv3.Client {
	t.Helper()
	cfg := embed.NewConfig()
	cfg.Dir = t.TempDir()
	free := url.URL{Scheme: "http", Host: "127.0.0.1:0"}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls, cfg.ListenPeerUrls = []url.URL{free}, []url.URL{free}, []url.URL{free}
	cfg.UnsafeNoFsync = true
	cfg.Logger = "zap"
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		t.Fatalf("start an etcd for the test: %v", err)
	}
	t.Cleanup(e.Close)
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(readyTimeout):
		t.Fatalf("the test's etcd was not ready in %s", readyTimeout)
	}
	c := Connect(t, "http://"+e.Clients[0].Addr().String())
	for _, k := range keys {
		if _, err := c.Put(context.Background(), k, "value of "+k); err != nil {
			t.Fatalf("put %s: %v", k, err)
		}
	}
	return c
}

// Connect is a client of the etcd at endpoint, closed when the test ends.
func Connect(t testing.TB, endpoint string) *clientv3.Client {
	t.Helper()
	c, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatalf("connect to etcd at %s: %v", endpoint, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Save writes c's snapshot into dir as name and returns its path.
func Save(t testing.TB, c *clientv3.Client, dir, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rc, err := c.Snapshot(ctx)
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	defer rc.Close()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, rc); err != nil {
		f.Close()
		t.Fatalf("save the snapshot: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// Snapshot is a snapshot of an etcd holding keys, in a new file of the
// test named as RKE2 names its snapshots.
func Snapshot(t testing.TB, keys []string) string {
	t.Helper()
	return Save(t, Start(t, keys), t.TempDir(), "etcd-snapshot-node1-1764200000")
}

// Damaged copies the file at path with change applied to its bytes.
func Damaged(t testing.TB, path string, change func([]byte) []byte) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "damaged-"+filepath.Base(path))
	if err := os.WriteFile(out, change(b), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}
