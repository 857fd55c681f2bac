package namespace

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/local"
)

// Postgres returns the PostgreSQL server that the named restore writes to:
// its target's address, or a port-forward to a ready pod behind its Service
// or selector (kept open until Destroy), once the server accepts
// connections. The credentials come from the target's Secret in the
// sandbox, or from environment variables; they are never printed. BinDir
// holds client programs at least as new as the server.
func (s *Sandbox) Postgres(ctx context.Context, restore string) (*sandbox.PostgresServer, error) {
	s.mu.Lock()
	srv, ok := s.servers[restore]
	s.mu.Unlock()
	if ok {
		return srv, nil
	}
	target, ok := s.p.opts.Targets[restore]
	if !ok {
		return nil, fmt.Errorf("restore %s has no PostgreSQL target in the namespace sandbox: give it a target (service, selector or address)", restore)
	}
	srv, err := s.connectTarget(ctx, restore, target.withDefaults(s.name))
	if err != nil {
		if ctx.Err() == nil {
			err = fault.Infra(err)
		}
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if other, ok := s.servers[restore]; ok {
		return other, nil // a concurrent call won; its forward serves both
	}
	s.servers[restore] = srv
	return srv, nil
}

func (s *Sandbox) connectTarget(ctx context.Context, restore string, t Target) (*sandbox.PostgresServer, error) {
	ctx, cancel := context.WithTimeout(ctx, t.ReadyTimeout)
	defer cancel()
	host, port, via, err := s.endpoint(ctx, restore, t)
	if err != nil {
		return nil, err
	}
	user, password, err := s.credentials(ctx, restore, t)
	if err != nil {
		return nil, err
	}
	srv := &sandbox.PostgresServer{Host: host, Port: port, User: user, Password: password}
	if err := waitAccepting(ctx, srv, fmt.Sprintf("restore %s (%s)", restore, via), t.ReadyTimeout); err != nil {
		return nil, err
	}
	bins, err := local.FindBinaries(s.p.opts.BinDir)
	if err != nil {
		return nil, err
	}
	if bins.Major < srv.Major {
		return nil, fmt.Errorf("the PostgreSQL server of restore %s is version %s, but the client programs found in %s are %s: pg_restore must be at least the server's version; install postgresql-client-%d (apt-get install postgresql-client-%d) or point binDir at newer ones",
			restore, srv.Version, bins.Dir, bins.Version, srv.Major, srv.Major)
	}
	srv.BinDir = bins.Dir
	return srv, nil
}

// endpoint is where the target's server is reached from this process, and
// words saying how.
func (s *Sandbox) endpoint(ctx context.Context, restore string, t Target) (host string, port int, via string, err error) {
	if t.Address != "" {
		h, p, err := net.SplitHostPort(t.Address)
		if err != nil {
			return "", 0, "", fmt.Errorf("restore %s: target address %q is not host:port: %w", restore, t.Address, err)
		}
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return "", 0, "", fmt.Errorf("restore %s: target address %q has no valid port", restore, t.Address)
		}
		return h, n, "address " + t.Address, nil
	}
	pod, err := kube.ReadyPod(ctx, s.cs, t.Namespace, t.Service, t.Selector)
	if err != nil {
		return "", 0, "", fmt.Errorf("restore %s: %w", restore, err)
	}
	var svc *corev1.Service
	if t.Service != "" {
		if svc, err = s.cs.CoreV1().Services(t.Namespace).Get(ctx, t.Service, metav1.GetOptions{}); err != nil {
			return "", 0, "", fmt.Errorf("restore %s: read service %s in namespace %s: %w", restore, t.Service, t.Namespace, err)
		}
	}
	podPort, err := kube.TargetPort(svc, pod, intstr.FromInt(t.Port))
	if err != nil {
		return "", 0, "", fmt.Errorf("restore %s: %w", restore, err)
	}
	f, err := s.startForward(ctx, t.Namespace, pod.Name, podPort)
	if err != nil {
		return "", 0, "", fmt.Errorf("restore %s: %w", restore, err)
	}
	h, p, _ := net.SplitHostPort(f.Addr())
	n, _ := strconv.Atoi(p)
	return h, n, fmt.Sprintf("port-forward %s to pod %s/%s port %d", f.Addr(), t.Namespace, pod.Name, podPort), nil
}

// startForward starts a port-forward to a pod in namespace that lives until
// Destroy; only its start is bounded by ctx.
func (s *Sandbox) startForward(ctx context.Context, namespace, pod string, port int) (portForward, error) {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil, fmt.Errorf("namespace sandbox %s is already torn down", s.name)
	}
	s.mu.Unlock()
	life, cancel := context.WithCancel(context.Background())
	stopOnCtx := context.AfterFunc(ctx, cancel)
	f, err := s.p.forward(life, namespace, pod, port)
	if !stopOnCtx() || err != nil {
		cancel()
		if err == nil {
			f.Close()
			err = context.Cause(ctx)
		}
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		cancel()
		f.Close()
		return nil, fmt.Errorf("namespace sandbox %s was torn down while the port-forward started", s.name)
	}
	s.forwards = append(s.forwards, closeAll{f, cancel})
	return f, nil
}

// closeAll closes a forward and ends the context it lives in.
type closeAll struct {
	portForward
	cancel context.CancelFunc
}

func (c closeAll) Close() { c.portForward.Close(); c.cancel() }

// credentials are the target's user and password: from its Secret in the
// target's namespace, else from the environment variables it names, else its User
// with no password.
func (s *Sandbox) credentials(ctx context.Context, restore string, t Target) (user, password string, err error) {
	user = t.User
	if t.Secret != "" {
		sec, err := s.cs.CoreV1().Secrets(t.Namespace).Get(ctx, t.Secret, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return "", "", fmt.Errorf("restore %s: secret %s not found in namespace %s: the app must create it, or name the credentials' environment variables instead", restore, t.Secret, t.Namespace)
		}
		if err != nil {
			return "", "", fmt.Errorf("restore %s: read secret %s in namespace %s: %w", restore, t.Secret, t.Namespace, err)
		}
		pw, ok := sec.Data[t.PasswordKey]
		if !ok {
			return "", "", fmt.Errorf("restore %s: secret %s in namespace %s has no key %q (its keys: %s): set the target's passwordKey", restore, t.Secret, t.Namespace, t.PasswordKey, secretKeys(sec.Data))
		}
		if u, ok := sec.Data[t.UserKey]; ok && len(u) > 0 {
			user = string(u)
		}
		return user, string(pw), nil
	}
	if t.UserEnv != "" {
		v, ok := s.p.lookupEnv(t.UserEnv)
		if !ok {
			return "", "", fmt.Errorf("restore %s: environment variable %s (the user) is not set", restore, t.UserEnv)
		}
		user = v
	}
	if t.PasswordEnv != "" {
		v, ok := s.p.lookupEnv(t.PasswordEnv)
		if !ok {
			return "", "", fmt.Errorf("restore %s: environment variable %s (the password) is not set", restore, t.PasswordEnv)
		}
		password = v
	}
	return user, password, nil
}

// secretKeys names a Secret's keys, never its values.
func secretKeys(data map[string][]byte) string {
	if len(data) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
