package namespace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
)

const (
	// heartbeatEvery is how often a live run renews its namespace's
	// heartbeat; drill cleanup takes a heartbeat older than StaleAfter for
	// a run that is gone.
	heartbeatEvery = 30 * time.Second
	// undoTimeout bounds removing a half-made sandbox after Create failed,
	// also when Create's own context has ended (an interrupt).
	undoTimeout = 2 * time.Minute
)

// Provider creates namespace sandboxes.
type Provider struct {
	opts Options

	// Replaced in tests: the clientset, the port-forward, the process's
	// environment, the clock and the heartbeat's period.
	clients        func() (kubernetes.Interface, error)
	forward        forwardFunc
	lookupEnv      func(string) (string, bool)
	now            func() time.Time
	heartbeatEvery time.Duration
}

var _ sandbox.Provider = (*Provider)(nil)

// NewProvider returns a provider of namespaces in the cluster o.Config
// reaches. Nothing is contacted until Create.
func NewProvider(o Options) sandbox.Provider {
	return newProvider(o)
}

func newProvider(o Options) *Provider {
	o = o.withDefaults()
	return &Provider{
		opts: o,
		clients: func() (kubernetes.Interface, error) {
			if o.Config == nil {
				return nil, errors.New("no cluster configured: load one with sandbox/kube.Load")
			}
			return kubernetes.NewForConfig(o.Config)
		},
		forward:        kubeForward(o.Config),
		lookupEnv:      os.LookupEnv,
		now:            time.Now,
		heartbeatEvery: heartbeatEvery,
	}
}

// Create makes the run's namespace with its NetworkPolicy, ResourceQuota and
// LimitRange, and starts renewing its heartbeat. On error nothing is left:
// the namespace is deleted again, even when ctx has ended. Errors other
// than ctx's end are marked with fault.Infra.
func (p *Provider) Create(ctx context.Context, o sandbox.Options) (sandbox.Sandbox, error) {
	sb, err := p.create(ctx, o)
	if err != nil {
		if ctx.Err() == nil {
			err = fault.Infra(err)
		}
		return nil, fmt.Errorf("create namespace sandbox for run %s: %w", o.RunID, err)
	}
	return sb, nil
}

func (p *Provider) create(ctx context.Context, o sandbox.Options) (_ *Sandbox, err error) {
	if err := checkLabelValues(o); err != nil {
		return nil, err
	}
	cs, err := p.clients()
	if err != nil {
		return nil, err
	}
	labels := kube.RunLabels(o.RunID, o.Scenario)
	name := Name(p.opts.Prefix, o.Scenario, o.RunID)
	ns, err := cs.CoreV1().Namespaces().Create(ctx, namespaceObject(name, labels, p.now(), p.opts.TTL), metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil, fmt.Errorf("namespace %s already exists: drill never uses a namespace it did not create; if a run of %s left it, remove it with drill cleanup --run %s", name, o.Scenario, o.RunID)
	}
	if err != nil {
		return nil, fmt.Errorf("create namespace %s: %w", name, err)
	}
	sb := &Sandbox{p: p, cs: cs, name: name, uid: ns.UID, runID: o.RunID, labels: labels, servers: map[string]*sandbox.PostgresServer{}}
	defer func() {
		if err != nil {
			undoCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
			defer cancel()
			if undoErr := deleteNamespace(undoCtx, cs, name, o.RunID, ns.UID); undoErr != nil {
				err = errors.Join(err, fmt.Errorf("remove the half-made sandbox: %w", undoErr))
			}
		}
	}()
	if err := p.createObjects(ctx, cs, name, labels); err != nil {
		return nil, err
	}
	sb.heartbeat = startHeartbeat(cs, name, p.heartbeatEvery, p.now)
	fmt.Fprintf(p.opts.Progress, "    namespace %s created%s\n", name, p.describeObjects())
	return sb, nil
}

// createObjects makes the NetworkPolicy, ResourceQuota and LimitRange that
// the options ask for.
func (p *Provider) createObjects(ctx context.Context, cs kubernetes.Interface, ns string, labels map[string]string) error {
	if p.opts.Isolate {
		if _, err := cs.NetworkingV1().NetworkPolicies(ns).Create(ctx, isolationPolicy(ns, labels), metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create NetworkPolicy %s in namespace %s: %w", policyName, ns, err)
		}
	}
	if len(p.opts.Quota) > 0 {
		q, err := resourceQuota(ns, labels, p.opts.Quota)
		if err != nil {
			return err
		}
		if _, err := cs.CoreV1().ResourceQuotas(ns).Create(ctx, q, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create ResourceQuota %s in namespace %s: %w", quotaName, ns, err)
		}
	}
	if p.opts.LimitRange != nil {
		lr, err := limitRange(ns, labels, p.opts.LimitRange)
		if err != nil {
			return err
		}
		if _, err := cs.CoreV1().LimitRanges(ns).Create(ctx, lr, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create LimitRange %s in namespace %s: %w", limitRangeName, ns, err)
		}
	}
	return nil
}

// describeObjects is what the progress line says besides the name.
func (p *Provider) describeObjects() string {
	var parts []string
	if p.opts.Isolate {
		parts = append(parts, "isolated by NetworkPolicy "+policyName)
	} else {
		parts = append(parts, "not isolated")
	}
	if len(p.opts.Quota) > 0 {
		parts = append(parts, "quota "+quotaName)
	}
	if p.opts.LimitRange != nil {
		parts = append(parts, "limits "+limitRangeName)
	}
	parts = append(parts, "expires in "+p.opts.TTL.String())
	return " (" + strings.Join(parts, ", ") + ")"
}

// checkLabelValues refuses a run id or scenario name that cannot be a label
// value, before anything is made.
func checkLabelValues(o sandbox.Options) error {
	for what, v := range map[string]string{"run id": o.RunID, "scenario name": o.Scenario} {
		if v == "" {
			return fmt.Errorf("no %s: the namespace sandbox labels everything with it", what)
		}
		if errs := validation.IsValidLabelValue(v); len(errs) > 0 {
			return fmt.Errorf("%s %q cannot be a Kubernetes label value: %s", what, v, strings.Join(errs, "; "))
		}
	}
	return nil
}

// kubeConfigHost names the cluster in descriptions.
func kubeConfigHost(cfg *rest.Config) string {
	if cfg == nil {
		return "the cluster"
	}
	return cfg.Host
}
