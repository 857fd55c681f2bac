package etcd

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

// sampleKeys is a small cluster in kube-apiserver's layout.
var sampleKeys = []string{
	"/registry/namespaces/shop",
	"/registry/namespaces/kube-system",
	"/registry/deployments/shop/web",
	"/registry/deployments/shop/api",
	"/registry/deployments/shop/worker",
	"/registry/deployments/kube-system/coredns",
	"/registry/secrets/kube-system/x",
	"/registry/secrets/shop/db",
	"/registry/configmaps/shop/settings",
	"/registry/services/specs/shop/web",
	"/registry/podsecuritypolicy/restricted",
	"/registry/argoproj.io/applications/argocd/shop",
}

// sourceEtcd starts a real etcd in the test, holding keys, and returns its
// client. It stops when the test ends.
func sourceEtcd(t *testing.T, keys []string) *clientv3.Client {
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
		t.Fatalf("start the source etcd: %v", err)
	}
	t.Cleanup(e.Close)
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(30 * time.Second):
		t.Fatal("the source etcd did not become ready in 30s")
	}
	c, err := clientv3.New(clientv3.Config{Endpoints: []string{"http://" + e.Clients[0].Addr().String()}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatalf("connect to the source etcd: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	for _, k := range keys {
		if _, err := c.Put(context.Background(), k, "value of "+k); err != nil {
			t.Fatalf("put %s: %v", k, err)
		}
	}
	return c
}

// saveSnapshot writes c's snapshot (the database and its sha256, as
// etcdctl snapshot save writes it) into a new file.
func saveSnapshot(t *testing.T, c *clientv3.Client) string {
	t.Helper()
	rc, err := c.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	defer rc.Close()
	path := filepath.Join(t.TempDir(), "etcd-snapshot-node1-1764200000")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, rc); err != nil {
		t.Fatalf("save snapshot: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// sampleSnapshot is a snapshot of sampleKeys.
func sampleSnapshot(t *testing.T) string {
	t.Helper()
	return saveSnapshot(t, sourceEtcd(t, sampleKeys))
}

// damaged copies the snapshot at path with change applied to its bytes.
func damaged(t *testing.T, path string, change func([]byte) []byte) string {
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
