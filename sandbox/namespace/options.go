package namespace

import (
	"io"
	"time"

	"k8s.io/client-go/rest"
)

// Defaults for the zero values of Options and Target.
const (
	DefaultPrefix       = "drill"
	DefaultTTL          = 24 * time.Hour
	DefaultPort         = 5432
	DefaultUser         = "postgres"
	DefaultUserKey      = "username"
	DefaultPasswordKey  = "password"
	DefaultReadyTimeout = 5 * time.Minute
)

// Options configure the namespace provider.
type Options struct {
	// Config reaches the cluster's API server (see sandbox/kube.Load).
	Config *rest.Config
	// Prefix starts the namespace's name; default DefaultPrefix.
	Prefix string
	// TTL is how long the namespace may live before drill cleanup removes
	// it whatever its run's state; default DefaultTTL.
	TTL time.Duration
	// Isolate adds a NetworkPolicy that denies all ingress and egress
	// except between the namespace's own pods and to DNS.
	Isolate bool
	// Quota, when set, is a ResourceQuota's spec.hard ("cpu": "4").
	Quota map[string]string
	// LimitRange, when set, gives containers without resources defaults.
	LimitRange *LimitRange
	// Targets are the in-cluster PostgreSQL servers, by restore name.
	Targets map[string]Target
	// Retain keeps the namespace at Destroy, for a person to look into;
	// drill cleanup --run RUNID removes it later.
	Retain bool
	// Progress receives lines for people; may be nil.
	Progress io.Writer
	// BinDir is where pg_restore and psql are looked up first (see
	// sandbox/local.FindBinaries).
	BinDir string
}

// LimitRange gives containers default resource limits (Default) and
// requests (DefaultRequest), e.g. "memory": "512Mi".
type LimitRange struct {
	Default        map[string]string
	DefaultRequest map[string]string
}

// Target is a PostgreSQL server inside the sandbox's cluster. Exactly one
// of Service, Selector and Address is set.
type Target struct {
	// Service is a Service in the sandbox: drill port-forwards to a ready
	// pod behind it, to the container port behind Service port Port.
	Service string
	// Selector picks a ready pod in the sandbox by labels; drill
	// port-forwards to its port Port.
	Selector map[string]string
	// Address is host:port, reached directly (no port-forward).
	Address string
	// Namespace holds Service, Selector's pods and Secret: a database an
	// app deployed into a namespace of its own. Default: the sandbox's.
	Namespace string
	// Port is the Service's or pod's port; default DefaultPort.
	Port int
	// Secret is a Secret in the sandbox holding the user (UserKey, default
	// DefaultUserKey; when absent, User) and the password (PasswordKey,
	// default DefaultPasswordKey).
	Secret      string
	UserKey     string
	PasswordKey string
	// UserEnv and PasswordEnv name environment variables of drill's own
	// process holding the user and password, when there is no Secret.
	UserEnv     string
	PasswordEnv string
	// User is the user when neither the Secret nor UserEnv gives one;
	// default DefaultUser.
	User string
	// ReadyTimeout bounds waiting for a ready pod and for the server to
	// accept connections; default DefaultReadyTimeout.
	ReadyTimeout time.Duration
}

// withDefaults fills the zero values; sandbox is the sandbox's namespace.
func (t Target) withDefaults(sandbox string) Target {
	if t.Namespace == "" {
		t.Namespace = sandbox
	}
	if t.Port == 0 {
		t.Port = DefaultPort
	}
	if t.User == "" {
		t.User = DefaultUser
	}
	if t.UserKey == "" {
		t.UserKey = DefaultUserKey
	}
	if t.PasswordKey == "" {
		t.PasswordKey = DefaultPasswordKey
	}
	if t.ReadyTimeout == 0 {
		t.ReadyTimeout = DefaultReadyTimeout
	}
	return t
}

func (o Options) withDefaults() Options {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.TTL == 0 {
		o.TTL = DefaultTTL
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	return o
}
