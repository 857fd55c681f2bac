package etcd

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/etcdutl/v3/snapshot"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"

	"github.com/restore-drill/drill/drills/fault"
)

const (
	// memberName names the one member of the restored cluster.
	memberName = "drill"
	// peerURL is the member's advertised peer address. A one-member
	// cluster never dials it; the peer listener itself is on a free port.
	peerURL = "http://127.0.0.1:2380"
	// dialTimeout bounds the client's first connection to the local etcd.
	dialTimeout = 10 * time.Second
	// minQuotaBytes is etcd's default backend quota; a larger snapshot gets
	// room above its size, so that etcd does not raise NOSPACE on start.
	minQuotaBytes = 2 << 30
)

// server is an embedded etcd serving a restored snapshot, and a client.
type server struct {
	etcd   *embed.Etcd
	client *clientv3.Client
	// URL is the client URL it listens on.
	URL string
}

// restoreAndStart restores the snapshot into dir/data and starts an etcd
// on it. On error nothing is left running; the caller removes dir.
func restoreAndStart(ctx context.Context, snap string, size int64, dir string, lg *zap.Logger) (*server, error) {
	data := filepath.Join(dir, "data")
	err := snapshot.NewV3(lg).Restore(snapshot.RestoreConfig{
		SnapshotPath:        snap,
		Name:                memberName,
		OutputDataDir:       data,
		PeerURLs:            []string{peerURL},
		InitialCluster:      memberName + "=" + peerURL,
		InitialClusterToken: "drill-restore",
	})
	if err != nil {
		return nil, fmt.Errorf("restore etcd snapshot %s: %w", snap, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e, err := embed.StartEtcd(config(data, size, lg))
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("start an etcd on the restored snapshot in %s: %w", dir, err))
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return nil, fault.Infra(fmt.Errorf("the etcd on the restored snapshot stopped while starting: %w", err))
	case <-ctx.Done():
		e.Close()
		return nil, context.Cause(ctx)
	}
	s := &server{etcd: e, URL: "http://" + e.Clients[0].Addr().String()}
	s.client, err = clientv3.New(clientv3.Config{
		Endpoints:   []string{s.URL},
		DialTimeout: dialTimeout,
		Logger:      lg,
		Context:     ctx,
	})
	if err != nil {
		e.Close()
		return nil, fault.Infra(fmt.Errorf("connect to the etcd on the restored snapshot at %s: %w", s.URL, err))
	}
	return s, nil
}

// config is a throwaway member: free 127.0.0.1 ports, no fsync (the data
// lives as long as the run), no compaction, and a quota the data fits.
func config(dataDir string, size int64, lg *zap.Logger) *embed.Config {
	cfg := embed.NewConfig()
	cfg.Name = memberName
	cfg.Dir = dataDir
	free := url.URL{Scheme: "http", Host: "127.0.0.1:0"}
	peer, _ := url.Parse(peerURL)
	cfg.ListenClientUrls = []url.URL{free}
	cfg.AdvertiseClientUrls = []url.URL{free}
	cfg.ListenPeerUrls = []url.URL{free}
	cfg.AdvertisePeerUrls = []url.URL{*peer}
	cfg.InitialCluster = memberName + "=" + peerURL
	cfg.UnsafeNoFsync = true
	cfg.QuotaBackendBytes = max(minQuotaBytes, min(2*size, math.MaxInt64/2))
	cfg.Logger = "zap"
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(lg)
	return cfg
}

// stop closes the client and stops etcd, waiting until its listeners are
// closed.
func (s *server) stop() error {
	var err error
	if s.client != nil {
		if cerr := s.client.Close(); cerr != nil && !errors.Is(cerr, context.Canceled) {
			err = fmt.Errorf("close the client of the restored etcd: %w", cerr)
		}
	}
	s.etcd.Close()
	return err
}
