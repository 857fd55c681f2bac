package kind

import (
	"fmt"
	"io"
	"strings"
	"time"

	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	kindlog "sigs.k8s.io/kind/pkg/log"
)

// clusters is the part of kind's cluster.Provider the sandbox uses: a
// small interface, so that tests use a fake instead of Docker.
type clusters interface {
	Create(name string, o createOptions) error
	Delete(name, kubeconfig string) error
	List() ([]string, error)
}

// createOptions are what the sandbox asks kind for.
type createOptions struct {
	// NodeImage, when set, is every node's image.
	NodeImage string
	// ConfigFile, when set, is a kind configuration file.
	ConfigFile string
	// Kubeconfig is the private file kind writes the cluster's kubeconfig
	// to.
	Kubeconfig string
	// WaitForReady is how long kind waits for the control plane to be
	// ready.
	WaitForReady time.Duration
}

// kindClusters is kind's own provider for one container runtime.
type kindClusters struct{ p *kindcluster.Provider }

// newKindClusters returns kind's provider for runtime, its log lines going
// to progress.
func newKindClusters(runtime string, progress io.Writer) clusters {
	var rt kindcluster.ProviderOption
	switch runtime {
	case Podman:
		rt = kindcluster.ProviderWithPodman()
	case Nerdctl:
		rt = kindcluster.ProviderWithNerdctl("")
	default:
		rt = kindcluster.ProviderWithDocker()
	}
	return kindClusters{kindcluster.NewProvider(kindcluster.ProviderWithLogger(progressLogger{progress}), rt)}
}

func (k kindClusters) Create(name string, o createOptions) error {
	opts := []kindcluster.CreateOption{
		kindcluster.CreateWithKubeconfigPath(o.Kubeconfig),
		kindcluster.CreateWithWaitForReady(o.WaitForReady),
		kindcluster.CreateWithDisplayUsage(false),
		kindcluster.CreateWithDisplaySalutation(false),
	}
	if o.ConfigFile != "" {
		opts = append(opts, kindcluster.CreateWithConfigFile(o.ConfigFile))
	}
	if o.NodeImage != "" {
		opts = append(opts, kindcluster.CreateWithNodeImage(o.NodeImage))
	}
	return k.p.Create(name, opts...)
}

func (k kindClusters) Delete(name, kubeconfig string) error { return k.p.Delete(name, kubeconfig) }

func (k kindClusters) List() ([]string, error) { return k.p.List() }

// progressLogger is kind's logger writing to the run's progress: its
// status lines (" • Starting control-plane 🕹️  ...", " ✓ Starting
// control-plane 🕹️") and warnings; its debug levels are left out.
type progressLogger struct{ w io.Writer }

var _ kindlog.Logger = progressLogger{}

func (l progressLogger) Warn(message string) { l.line("warning: " + message) }
func (l progressLogger) Warnf(format string, args ...any) {
	l.line("warning: " + fmt.Sprintf(format, args...))
}
func (l progressLogger) Error(message string) { l.line("error: " + message) }
func (l progressLogger) Errorf(format string, args ...any) {
	l.line("error: " + fmt.Sprintf(format, args...))
}

func (l progressLogger) V(level kindlog.Level) kindlog.InfoLogger {
	if level > 0 {
		return kindlog.NoopInfoLogger{}
	}
	return progressInfo(l)
}

func (l progressLogger) line(s string) {
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), "."))
	if s != "" {
		fmt.Fprintln(l.w, "kind: "+s)
	}
}

type progressInfo progressLogger

func (i progressInfo) Info(message string) { progressLogger(i).line(message) }
func (i progressInfo) Infof(format string, args ...any) {
	progressLogger(i).line(fmt.Sprintf(format, args...))
}
func (i progressInfo) Enabled() bool { return true }
