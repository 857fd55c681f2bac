package helm

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/registry"
)

// ociRegistryVersion is the go-containerregistry release whose in-memory
// registry ci/install-deps.sh builds.
const ociRegistryVersion = "v0.20.2"

// ociRegistryBinary finds it: $DRILL_OCI_REGISTRY, then the cache
// directory ci/install-deps.sh builds into.
func ociRegistryBinary() (string, error) {
	if p := os.Getenv("DRILL_OCI_REGISTRY"); p != "" {
		return p, nil
	}
	if cache, err := os.UserCacheDir(); err == nil {
		p := filepath.Join(cache, "drill", "tools", "ociregistry-"+ociRegistryVersion, "registry")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("the OCI registry " + ociRegistryVersion + " is not installed: run ci/install-deps.sh, or set DRILL_OCI_REGISTRY to its path")
}

// startOCIRegistry runs the registry on a free port until the test ends
// and returns its host:port.
func startOCIRegistry(t *testing.T) string {
	t.Helper()
	bin, err := ociRegistryBinary()
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	cmd := exec.Command(bin, "-port", "0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the OCI registry %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	port := make(chan string, 1)
	go func() {
		serving := regexp.MustCompile(`serving on port (\d+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := serving.FindStringSubmatch(sc.Text()); m != nil {
				port <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case p := <-port:
		return "127.0.0.1:" + p
	case <-time.After(10 * time.Second):
		t.Fatal("the OCI registry did not say its port within 10s")
	}
	return ""
}

// A chart pushed to an OCI registry is pulled at its version through
// Helm's own registry client, as `helm install oci://...` does.
func TestLoadChartFromAnOCIRegistry(t *testing.T) {
	host := startOCIRegistry(t)
	ch, err := loader.Load("testdata/web")
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := chartutil.Save(ch, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(pkg)
	if err != nil {
		t.Fatal(err)
	}
	client, err := registry.NewClient(registry.ClientOptPlainHTTP(), registry.ClientOptWriter(io.Discard),
		registry.ClientOptCredentialsFile(filepath.Join(t.TempDir(), "config.json")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Push(data, host+"/charts/web:0.1.0"); err != nil {
		t.Fatalf("push the chart to %s: %v", host, err)
	}

	got, err := loadChart(Options{PlainHTTP: true}, App{Chart: "web", Repository: "oci://" + host + "/charts", Version: "0.1.0"}, io.Discard)
	if err != nil {
		t.Fatalf("load the chart from oci://%s/charts: %v", host, err)
	}
	if got.Metadata.Name != "web" || got.Metadata.Version != "0.1.0" || len(got.Templates) != 3 {
		t.Errorf("loaded %s-%s with %d templates, want web-0.1.0 with 3", got.Metadata.Name, got.Metadata.Version, len(got.Templates))
	}
	if _, err := loadChart(Options{PlainHTTP: true}, App{Chart: "web", Repository: "oci://" + host + "/charts", Version: "9.9.9"}, io.Discard); err == nil {
		t.Error("a version the registry lacks was loaded")
	}
}
