package helm

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/provenance"
	"helm.sh/helm/v3/pkg/repo"
)

// A chart repository served over http, as Helm's own client reads it: the
// index, then the packaged chart at the version asked for.
func TestLoadChartFromAnHTTPRepository(t *testing.T) {
	dir := t.TempDir()
	ch, err := loader.Load("testdata/web")
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, version := range []string{"0.1.0", "0.2.0"} {
		ch.Metadata.Version = version
		pkg, err := chartutil.Save(ch, dir)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, filepath.Base(pkg))
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	index := repo.NewIndexFile()
	for i, version := range []string{"0.1.0", "0.2.0"} {
		md := *ch.Metadata // the index keeps the pointer
		md.Version = version
		digest, err := provenance.DigestFile(filepath.Join(dir, urls[i]))
		if err != nil {
			t.Fatal(err)
		}
		if err := index.MustAdd(&md, urls[i], srv.URL, digest); err != nil {
			t.Fatal(err)
		}
	}
	if err := index.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}

	for version, want := range map[string]string{"0.1.0": "0.1.0", "": "0.2.0"} {
		got, err := loadChart(Options{}, App{Chart: "web", Repository: srv.URL, Version: version}, io.Discard)
		if err != nil {
			t.Fatalf("load web %q from the repository: %v", version, err)
		}
		if got.Metadata.Name != "web" || got.Metadata.Version != want {
			t.Errorf("version %q: loaded %s-%s, want web-%s", version, got.Metadata.Name, got.Metadata.Version, want)
		}
	}
	_, err = loadChart(Options{}, App{Chart: "web", Repository: srv.URL, Version: "9.9.9"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "find chart web 9.9.9 in repository "+srv.URL) {
		t.Errorf("a version the repository lacks: %v", err)
	}
	_, err = loadChart(Options{}, App{Chart: "testdata/nope"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "load chart testdata/nope") {
		t.Errorf("a missing local chart: %v", err)
	}
}
