package s3test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

const startTimeout = 30 * time.Second

// Server is a running S3 server with one root user.
type Server struct {
	// Endpoint is http://127.0.0.1:PORT.
	Endpoint string
	// AccessKey and SecretKey are the root user's keys.
	AccessKey, SecretKey string
	// Root is the posix backend's directory: bucket B's object K is the file
	// Root/B/K.
	Root string
	// CAFile, for a server started with StartTLS, is the PEM certificate
	// that its https endpoint presents (self-signed for 127.0.0.1).
	CAFile string
	client *minio.Client
	// tls is set for StartTLS: the key file and the pool trusting CAFile.
	keyFile string
	pool    *x509.CertPool
}

// Start runs versitygw for the test; it is stopped when the test ends. The
// test is skipped when versitygw is not installed or -short is set.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, false)
}

// StartTLS is Start with an https endpoint presenting a self-signed
// certificate (Server.CAFile).
func StartTLS(t testing.TB) *Server {
	t.Helper()
	return start(t, true)
}

func start(t testing.TB, withTLS bool) *Server {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping: needs a real S3 server, which -short leaves out")
	}
	bin, err := Binary()
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	s := &Server{AccessKey: "drilltest" + randomHex(4), SecretKey: randomHex(20), Root: t.TempDir()}
	if withTLS {
		s.CAFile, s.keyFile, s.pool = selfSigned(t, t.TempDir())
	}
	var lastErr error
	for range 3 { // the free port can be taken between finding and binding it
		if lastErr = s.start(t, bin); lastErr == nil {
			return s
		}
	}
	t.Fatalf("start versitygw: %v", lastErr)
	return nil
}

func (s *Server) start(t testing.TB, bin string) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	// A health path of its own: when another test's server took the port
	// first, this one fails to bind and exits, and the other, which
	// answers only its own path, must not pass for it meanwhile.
	health := "/health-" + randomHex(8)
	args := []string{"--port", addr, "--health", health, "--quiet"}
	scheme, httpClient := "http", http.DefaultClient
	if s.pool != nil {
		args = append(args, "--cert", s.CAFile, "--key", s.keyFile)
		scheme, httpClient = "https", &http.Client{Transport: tlsTransport(s.pool)}
	}
	cmd := exec.Command(bin, append(args, "posix", s.Root)...)
	// Keys through the environment, never on a command line.
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID="+s.AccessKey, "ROOT_SECRET_ACCESS_KEY="+s.SecretKey)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	// The kernel sends the parent-death signal when the thread that forked
	// the child ends, not the process. Go ends a thread when a goroutine
	// locked to it returns, and the local sandbox locks (and later leaves)
	// whatever thread its goroutine lands on, which may be the one that
	// forked this server: the server was then killed in the middle of a
	// test. Forking from a thread held for the server's whole life rules
	// that out, as the local sandbox does for its own servers.
	exited := make(chan struct{})
	started := make(chan error)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends after the server
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		cmd.Wait()
		close(exited)
	}()
	if err := <-started; err != nil {
		return err
	}
	stop := func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
	s.Endpoint = scheme + "://" + addr
	if err := waitHealthy(httpClient, s.Endpoint+health, exited); err != nil {
		stop()
		return fmt.Errorf("%w; its output: %s", err, out.String())
	}
	t.Cleanup(stop)
	opts := &minio.Options{Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), BucketLookup: minio.BucketLookupPath}
	if s.pool != nil {
		opts.Secure, opts.Transport = true, tlsTransport(s.pool)
	}
	s.client, err = minio.New(addr, opts)
	return err
}

// waitHealthy polls the health endpoint: a test helper may poll, the
// product does not.
func waitHealthy(client *http.Client, url string, exited <-chan struct{}) error {
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("versitygw exited at start")
		default:
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("versitygw not healthy after %s", startTimeout)
}

// MakeBucket creates a bucket.
func (s *Server) MakeBucket(t testing.TB, bucket string) {
	t.Helper()
	if err := s.client.MakeBucket(context.Background(), bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket %s: %v", bucket, err)
	}
}

// Put stores content as bucket/key, last modified at modTime (the zero time
// leaves it at now).
func (s *Server) Put(t testing.TB, bucket, key string, content []byte, modTime time.Time) {
	t.Helper()
	_, err := s.client.PutObject(context.Background(), bucket, key, bytes.NewReader(content), int64(len(content)), minio.PutObjectOptions{})
	if err != nil {
		t.Fatalf("put %s/%s: %v", bucket, key, err)
	}
	if !modTime.IsZero() {
		// The posix backend reports the file's modification time as the
		// object's LastModified.
		if err := os.Chtimes(filepath.Join(s.Root, bucket, key), modTime, modTime); err != nil {
			t.Fatalf("date %s/%s: %v", bucket, key, err)
		}
	}
}

// PutFile stores the file at path as bucket/key.
func (s *Server) PutFile(t testing.TB, bucket, key, path string, modTime time.Time) {
	t.Helper()
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Put(t, bucket, key, content, modTime)
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
