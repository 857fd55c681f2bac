package sandbox

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"k8s.io/client-go/rest"
)

// Options are what every sandbox kind is told when it is created.
type Options struct {
	// RunID labels everything the sandbox creates.
	RunID string
	// Scenario is the scenario's name, for labels and names.
	Scenario string
}

// Provider creates sandboxes of one kind.
type Provider interface {
	// Create builds a new sandbox. On error nothing is left behind.
	Create(ctx context.Context, opts Options) (Sandbox, error)
}

// Sandbox is one live throwaway place.
type Sandbox interface {
	// Describe is one line for people: "local PostgreSQL 15.18 on 127.0.0.1:41234".
	Describe() string
	// Postgres returns the PostgreSQL server that the named restore writes to.
	Postgres(ctx context.Context, restore string) (*PostgresServer, error)
	// Destroy removes everything the sandbox created. It is safe to call more
	// than once and runs to completion unless ctx ends.
	Destroy(ctx context.Context) error
}

// Cluster is a sandbox in a Kubernetes cluster (kinds namespace, cluster,
// kind): applications are brought up in it and cluster checks read it.
type Cluster interface {
	Sandbox
	// Kube says how to reach the sandbox's cluster and which namespace is
	// the sandbox's own.
	Kube() KubeAccess
	// Diagnose writes what a person needs to see why something in the
	// sandbox failed (events, pod statuses, the last lines of every
	// container's log) into files under dir, and returns their names
	// relative to dir. It is called before teardown, only when the run did
	// not pass.
	Diagnose(ctx context.Context, dir string) ([]string, error)
}

// Keeper is a sandbox that can be kept for a person to look into (drill run
// --retain on a run that did not pass): Keep releases what this process
// holds (port-forwards, the heartbeat), marks what the run created as kept
// on purpose, and deletes nothing. drill cleanup --run removes it later.
type Keeper interface {
	Keep(ctx context.Context) error
}

// KubeAccess is a sandbox's place in a cluster.
type KubeAccess struct {
	// Config reaches the cluster's API server.
	Config *rest.Config
	// Namespace is the sandbox's own namespace: everything the run creates
	// in the cluster goes there, except what must be cluster-wide (an Argo
	// CD AppProject and Application live in Argo CD's namespace).
	Namespace string
	// Labels go on everything the run creates in the cluster: the run id,
	// the scenario and drill's own mark, so cleanup finds it after a crash.
	Labels map[string]string
}

// PostgresServer is a PostgreSQL server reachable from this process, with a
// superuser's credentials and the client programs that match its version.
type PostgresServer struct {
	Host     string
	Port     int
	User     string
	Password string
	// Version is the server's version, e.g. "15.18".
	Version string
	// Major is the server's major version, e.g. 15.
	Major int
	// BinDir holds pg_restore and psql of a version that can talk to it.
	BinDir string
}

// ConnString is a libpq URL for one database on the server. It carries the
// password: never print it; use Redacted for people.
func (s *PostgresServer) ConnString(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(s.User, s.Password),
		Host:     s.Host + ":" + strconv.Itoa(s.Port),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Redacted names the server without its password.
func (s *PostgresServer) Redacted(database string) string {
	return fmt.Sprintf("postgres://%s@%s:%d/%s", s.User, s.Host, s.Port, database)
}

// ClientEnviron is this process's environment with every PG* variable
// replaced by ClientEnv: the complete environment for a client program, so
// that a PGHOST or PGSERVICE of the person running drill never redirects it.
func (s *PostgresServer) ClientEnviron(database string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return append(env, s.ClientEnv(database)...)
}

// ClientEnv is the environment for a libpq client program (pg_restore, psql)
// so that no credential ever appears on a command line.
func (s *PostgresServer) ClientEnv(database string) []string {
	return []string{
		"PGHOST=" + s.Host,
		"PGPORT=" + strconv.Itoa(s.Port),
		"PGUSER=" + s.User,
		"PGPASSWORD=" + s.Password,
		"PGDATABASE=" + database,
		"PGSSLMODE=disable",
		"PGCONNECT_TIMEOUT=10",
	}
}
