package namespace

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

// One real PostgreSQL server serves the tests that connect: starting one
// takes seconds.
func TestPostgresAgainstARealServer(t *testing.T) {
	pg := localtest.Start(t)
	t.Run("through a Service with a Secret", func(t *testing.T) { postgresThroughAServiceWithASecret(t, pg, "") })
	t.Run("through a Service in another namespace", func(t *testing.T) { postgresThroughAServiceWithASecret(t, pg, "billing") })
	t.Run("at an address with env credentials", func(t *testing.T) { postgresAtAnAddressWithEnvCredentials(t, pg) })
	t.Run("wrong password fails fast", func(t *testing.T) { postgresWrongPasswordFailsFast(t, pg) })
}

// fakeForward stands in for a port-forward: it hands out the address of a
// server this process reaches directly, and records what it was asked.
type fakeForward struct {
	addr      string
	mu        sync.Mutex
	namespace string
	pod       string
	port      int
	closed    bool
}

func (f *fakeForward) Addr() string { return f.addr }
func (f *fakeForward) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
}

func (f *fakeForward) start(_ context.Context, namespace, pod string, port int) (portForward, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.namespace, f.pod, f.port = namespace, pod, port
	return f, nil
}

func credentialsSecret(ns string, srv *sandbox.PostgresServer) *corev1.Secret {
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "db-credentials", Namespace: ns},
		Data:       map[string][]byte{"username": []byte(srv.User), "password": []byte(srv.Password)},
	}
}

// Through a Service: a ready pod behind it is chosen, the Service port is
// resolved to the container's, the forward stays open until Destroy, and
// the credentials come from the Secret. With targetNS, the Service, its pod
// and the Secret are there and nothing is in the sandbox's namespace: a
// lookup in the wrong namespace finds no pod.
func postgresThroughAServiceWithASecret(t *testing.T, pg *sandbox.PostgresServer, targetNS string) {
	cs := fake.NewSimpleClientset()
	fwd := &fakeForward{addr: net.JoinHostPort(pg.Host, strconv.Itoa(pg.Port))}
	target := Target{Service: "db", Namespace: targetNS, Port: 5432, Secret: "db-credentials", ReadyTimeout: 20 * time.Second}
	p := fakeProvider(Options{Targets: map[string]Target{"billing": target}}, cs)
	p.forward = fwd.start
	sb := create(t, p)
	ctx := context.Background()
	ns := sb.Namespace()
	if targetNS != "" {
		ns = targetNS
	}
	labels := map[string]string{"app": "db"}
	if _, err := cs.CoreV1().Secrets(ns).Create(ctx, credentialsSecret(ns, pg), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: ns}, Spec: corev1.ServiceSpec{
		Selector: labels, Ports: []corev1.ServicePort{{Port: 5432, TargetPort: intstr.FromString("pg")}},
	}}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "db-0", Namespace: ns, Labels: labels},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "postgres", Ports: []corev1.ContainerPort{{Name: "pg", ContainerPort: 5433}}}}},
		Status:     corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}},
	}
	for _, obj := range []struct {
		create func() error
	}{
		{func() error { _, err := cs.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{}); return err }},
		{func() error { _, err := cs.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); return err }},
	} {
		if err := obj.create(); err != nil {
			t.Fatal(err)
		}
	}

	srv, err := sb.Postgres(ctx, "billing")
	if err != nil {
		t.Fatal(err)
	}
	if fwd.namespace != ns || fwd.pod != "db-0" || fwd.port != 5433 {
		t.Errorf("forwarded to pod %s/%s port %d, want %s/db-0 port 5433 (the Service's target port)", fwd.namespace, fwd.pod, fwd.port, ns)
	}
	if srv.Host != pg.Host || srv.Port != pg.Port || srv.User != pg.User || srv.Password != pg.Password {
		t.Errorf("server %s, want %s with the Secret's credentials", srv.Redacted("postgres"), pg.Redacted("postgres"))
	}
	if srv.Version != pg.Version || srv.Major != pg.Major || srv.BinDir == "" {
		t.Errorf("version %q major %d bin %q, want %q %d and client programs", srv.Version, srv.Major, srv.BinDir, pg.Version, pg.Major)
	}
	again, err := sb.Postgres(ctx, "billing")
	if err != nil || again != srv {
		t.Errorf("second call: %v, %v; want the same server", again, err)
	}
	if err := sb.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
	if !fwd.closed {
		t.Error("the port-forward is still open after Destroy")
	}
}

// A direct address with credentials from the environment.
func postgresAtAnAddressWithEnvCredentials(t *testing.T, pg *sandbox.PostgresServer) {
	p := fakeProvider(Options{Targets: map[string]Target{"billing": {
		Address: net.JoinHostPort(pg.Host, strconv.Itoa(pg.Port)), UserEnv: "DB_USER", PasswordEnv: "DB_PASSWORD",
	}}}, fake.NewSimpleClientset())
	env := map[string]string{"DB_USER": pg.User, "DB_PASSWORD": pg.Password}
	p.lookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	sb := create(t, p)
	srv, err := sb.Postgres(context.Background(), "billing")
	if err != nil {
		t.Fatal(err)
	}
	if srv.User != pg.User || srv.Major != pg.Major {
		t.Fatalf("server %s major %d, want %s major %d", srv.Redacted("postgres"), srv.Major, pg.Redacted("postgres"), pg.Major)
	}
}

// A wrong password is refused at once, not retried until the timeout, and
// the password never shows.
func postgresWrongPasswordFailsFast(t *testing.T, pg *sandbox.PostgresServer) {
	const wrong = "not-the-password-4711"
	cs := fake.NewSimpleClientset()
	p := fakeProvider(Options{Targets: map[string]Target{"billing": {
		Address: net.JoinHostPort(pg.Host, strconv.Itoa(pg.Port)), Secret: "db-credentials", ReadyTimeout: time.Minute,
	}}}, cs)
	sb := create(t, p)
	sec := credentialsSecret(sb.Namespace(), pg)
	sec.Data["password"] = []byte(wrong)
	if _, err := cs.CoreV1().Secrets(sb.Namespace()).Create(context.Background(), sec, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := sb.Postgres(context.Background(), "billing")
	if err == nil || !strings.Contains(err.Error(), "refused user "+pg.User) {
		t.Fatalf("error %v, want a refusal", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Fatalf("the error shows the password: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %s: a refused password must not be retried", d)
	}
}

// A server that never answers is retried until ReadyTimeout; the error says
// what was tried and is an infrastructure error.
func TestPostgresNotAcceptingConnections(t *testing.T) {
	addr := localtest.ReservePort(t).Addr() // nothing listens there
	p := fakeProvider(Options{Targets: map[string]Target{"billing": {Address: addr, ReadyTimeout: 700 * time.Millisecond}}}, fake.NewSimpleClientset())
	sb := create(t, p)
	_, err := sb.Postgres(context.Background(), "billing")
	if err == nil || !fault.IsInfra(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want an infrastructure error after the ready timeout", err)
	}
	for _, want := range []string{"restore billing (address " + addr + ")", "did not accept connections within 700ms", "attempts as user postgres", "connection refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestPostgresTargetErrors(t *testing.T) {
	tests := []struct {
		name   string
		target *Target
		secret *corev1.Secret
		want   string
	}{
		{"no target", nil, nil, "restore billing has no PostgreSQL target"},
		{"missing secret", &Target{Address: "127.0.0.1:1", Secret: "db"}, nil, "secret db not found in namespace"},
		{"secret without the password key", &Target{Address: "127.0.0.1:1", Secret: "db"},
			&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "db"}, Data: map[string][]byte{"user": []byte("u"), "pass": []byte("hunter2")}},
			`has no key "password" (its keys: pass, user)`},
		{"secret in the sandbox, target in another namespace", &Target{Address: "127.0.0.1:1", Namespace: "billing", Secret: "db"},
			&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "db"}, Data: map[string][]byte{"password": []byte("hunter2")}},
			"secret db not found in namespace billing"},
		{"unset env", &Target{Address: "127.0.0.1:1", PasswordEnv: "DRILL_TEST_UNSET_PASSWORD"}, nil, "environment variable DRILL_TEST_UNSET_PASSWORD (the password) is not set"},
		{"bad address", &Target{Address: "db.example"}, nil, `target address "db.example" is not host:port`},
		{"no ready pod", &Target{Selector: map[string]string{"app": "db"}, ReadyTimeout: 100 * time.Millisecond}, nil, "no pod of selector app=db"},
		{"no ready pod in another namespace", &Target{Selector: map[string]string{"app": "db"}, Namespace: "billing", ReadyTimeout: 100 * time.Millisecond}, nil,
			"no pod of selector app=db in namespace billing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			targets := map[string]Target{}
			if tc.target != nil {
				targets["billing"] = *tc.target
			}
			cs := fake.NewSimpleClientset()
			p := fakeProvider(Options{Targets: targets}, cs)
			p.lookupEnv = func(string) (string, bool) { return "", false }
			sb := create(t, p)
			if tc.secret != nil {
				tc.secret.Namespace = sb.Namespace()
				if _, err := cs.CoreV1().Secrets(sb.Namespace()).Create(context.Background(), tc.secret, metav1.CreateOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			_, err := sb.Postgres(context.Background(), "billing")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("the error shows a secret's value: %v", err)
			}
		})
	}
}
