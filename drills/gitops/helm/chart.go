package helm

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/cli"
	"helm.sh/helm/v3/pkg/downloader"
	"helm.sh/helm/v3/pkg/getter"
	"helm.sh/helm/v3/pkg/registry"
	"helm.sh/helm/v3/pkg/repo"
	"sigs.k8s.io/yaml"
)

// loadChart reads app's chart: a local directory or package, or a chart
// fetched from an http(s) repository or an OCI registry at app.Version.
func loadChart(opts Options, app App, progress io.Writer) (*chart.Chart, error) {
	if app.Repository == "" {
		ch, err := loader.Load(app.Chart)
		if err != nil {
			return nil, fmt.Errorf("load chart %s: %w", app.Chart, err)
		}
		return ch, nil
	}
	dir, err := os.MkdirTemp("", "drill-helm-chart-*")
	if err != nil {
		return nil, fmt.Errorf("make a directory for chart %s: %w", app.Chart, err)
	}
	defer os.RemoveAll(dir)
	settings := envSettings(opts, dir)
	// Always a credentials file of drill's choosing: Helm's default is the
	// person's own.
	regOpts := []registry.ClientOption{registry.ClientOptWriter(progress), registry.ClientOptCredentialsFile(settings.RegistryConfig)}
	if opts.PlainHTTP {
		regOpts = append(regOpts, registry.ClientOptPlainHTTP())
	}
	reg, err := registry.NewClient(regOpts...)
	if err != nil {
		return nil, fmt.Errorf("OCI registry client: %w", err)
	}
	getters := getter.All(settings)

	ref := strings.TrimSuffix(app.Repository, "/") + "/" + app.Chart
	if !registry.IsOCI(app.Repository) {
		ref, err = repo.FindChartInRepoURL(app.Repository, app.Chart, app.Version, "", "", "", getters)
		if err != nil {
			return nil, fmt.Errorf("find chart %s %s in repository %s: %w", app.Chart, orNewest(app.Version), app.Repository, err)
		}
	}
	dl := downloader.ChartDownloader{
		Out:              progress,
		Getters:          getters,
		RegistryClient:   reg,
		RepositoryConfig: settings.RepositoryConfig,
		RepositoryCache:  settings.RepositoryCache,
		Options:          []getter.Option{getter.WithRegistryClient(reg), getter.WithPlainHTTP(opts.PlainHTTP)},
	}
	path, _, err := dl.DownloadTo(ref, app.Version, dir)
	if err != nil {
		return nil, fmt.Errorf("download chart %s %s from %s: %w", app.Chart, orNewest(app.Version), app.Repository, err)
	}
	ch, err := loader.Load(path)
	if err != nil {
		return nil, fmt.Errorf("load chart %s from %s: %w", app.Chart, app.Repository, err)
	}
	return ch, nil
}

func orNewest(version string) string {
	if version == "" {
		return "(newest)"
	}
	return version
}

// envSettings are Helm's settings with nothing read from this machine's
// Helm setup unless Options name it.
func envSettings(opts Options, tmp string) *cli.EnvSettings {
	s := cli.New()
	s.RepositoryCache = opts.RepositoryCache
	if s.RepositoryCache == "" {
		s.RepositoryCache = filepath.Join(tmp, "cache")
	}
	s.RepositoryConfig = opts.RepositoryConfig
	if s.RepositoryConfig == "" {
		s.RepositoryConfig = filepath.Join(tmp, "repositories.yaml")
	}
	s.RegistryConfig = opts.RegistryConfig
	if s.RegistryConfig == "" {
		s.RegistryConfig = filepath.Join(tmp, "registry.json")
	}
	return s
}

// mergeValues reads the values files in order, each merged over the one
// before, then app.Values over them all, as helm -f ... --set does.
func mergeValues(app App) (map[string]any, error) {
	out := map[string]any{}
	for _, f := range app.ValuesFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read values file %s: %w", f, err)
		}
		var v map[string]any
		if err := yaml.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("parse values file %s: %w", f, err)
		}
		out = mergeMaps(out, v)
	}
	return mergeMaps(out, app.Values), nil
}

// mergeMaps merges b over a: maps merge key by key, anything else in b
// replaces a's.
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}
