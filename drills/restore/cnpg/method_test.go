package cnpg

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	dynfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
	k8stesting "k8s.io/client-go/testing"

	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

const testNamespace = "drill-billing-12345678"

// fakeCluster is the API server, faked at the process boundary.
type fakeCluster struct {
	cs  *fake.Clientset
	dyn *dynfake.FakeDynamicClient
	// jobsWatched is closed once the restore watches Jobs: the fake sends
	// no event for a Job made before, between the list and the watch.
	jobsWatched chan struct{}
}

func newFakeCluster() *fakeCluster {
	f := &fakeCluster{
		cs: fake.NewSimpleClientset(),
		dyn: dynfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
			ClusterGVR: "ClusterList", ObjectStoreGVR: "ObjectStoreList",
		}),
		jobsWatched: make(chan struct{}),
	}
	var once sync.Once
	f.cs.PrependWatchReactor("jobs", func(a k8stesting.Action) (bool, watch.Interface, error) {
		w, err := f.cs.Tracker().Watch(a.GetResource(), a.GetNamespace())
		once.Do(func() { close(f.jobsWatched) })
		return true, w, err
	})
	return f
}

type fakeSandbox struct{}

func (fakeSandbox) Describe() string { return "namespace " + testNamespace }
func (fakeSandbox) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, errors.New("not in this test")
}
func (fakeSandbox) Destroy(context.Context) error { return nil }
func (fakeSandbox) Kube() sandbox.KubeAccess {
	return sandbox.KubeAccess{Config: &rest.Config{Host: "https://fake"}, Namespace: testNamespace,
		Labels: map[string]string{"restore-drill.io/run-id": "run-1"}}
}
func (fakeSandbox) Diagnose(context.Context, string) ([]string, error) { return nil, nil }

// located is the method after Locate found backup 20261127T010000 of
// PostgreSQL 15 (Locate itself reads an object store: the barman tests'
// business).
func (f *fakeCluster) located(spec *scenarios.CNPGRestore) *method {
	src := scenarios.Source{S3: &scenarios.S3Source{Endpoint: "http://127.0.0.1:9000", Bucket: "backups", Prefix: "cnpg/"}}
	m := New("billing", spec, src, Options{
		NewClient:  func(*rest.Config) (kubernetes.Interface, error) { return f.cs, nil },
		NewDynamic: func(*rest.Config) (dynamic.Interface, error) { return f.dyn, nil },
	}).(*method)
	m.keys = func(scenarios.S3Credentials) (keys, error) {
		return keys{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: testToken}, nil
	}
	m.insp = restore.Inspection{Format: "barman", ExactMajor: 15, DumpedFrom: "15.4", Notes: []string{"backup 20261127T010000"}}
	m.backupID = "20261127T010000"
	return m
}

func defaultSpec() *scenarios.CNPGRestore {
	return &scenarios.CNPGRestore{ServerName: "billing-db", Instances: 1, StorageSize: "1Gi", Database: "app"}
}

// cluster waits until the method has created the Cluster, and returns it.
func (f *fakeCluster) cluster(t *testing.T) *unstructured.Unstructured {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		u, err := f.dyn.Resource(ClusterGVR).Namespace(testNamespace).Get(context.Background(), "billing", metav1.GetOptions{})
		if err == nil {
			return u
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the Cluster was never created")
	return nil
}

func (f *fakeCluster) setStatus(t *testing.T, st map[string]any) {
	t.Helper()
	u := f.cluster(t)
	u.Object["status"] = st
	if _, err := f.dyn.Resource(ClusterGVR).Namespace(testNamespace).Update(context.Background(), u, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a log written by the method's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// untilLogged does act until the restore's log holds want.
func untilLogged(t *testing.T, log *syncBuffer, want string, act func()) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(log.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the restore's log never held %q:\n%s", want, log.String())
		}
		act()
		time.Sleep(20 * time.Millisecond)
	}
}

// untilReturned writes the Cluster's status until Restore returns, and
// gives what it returned. The restore lists the Cluster and then watches
// it; the fake client sends no event for a write made between the two, so
// a single write can be lost, which would leave the restore waiting.
func (f *fakeCluster) untilReturned(t *testing.T, done <-chan outcome, st map[string]any) outcome {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		f.setStatus(t, st)
		select {
		case o := <-done:
			return o
		case <-deadline:
			t.Fatal("Restore did not return")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

type outcome struct {
	res restore.Result
	err error
}

func (f *fakeCluster) start(ctx context.Context, m *method, log *syncBuffer) <-chan outcome {
	done := make(chan outcome, 1)
	go func() {
		res, err := m.Restore(ctx, fakeSandbox{}, nil, log)
		done <- outcome{res, err}
	}()
	return done
}

func wait(t *testing.T, done <-chan outcome) outcome {
	t.Helper()
	select {
	case o := <-done:
		return o
	case <-time.After(10 * time.Second):
		t.Fatal("Restore did not return")
	}
	return outcome{}
}

// assertNoSecret checks that no key reached a person.
func assertNoSecret(t *testing.T, texts ...string) {
	t.Helper()
	for _, text := range texts {
		for _, secret := range []string{testKeyID, testSecret, testToken} {
			if strings.Contains(text, secret) {
				t.Errorf("a key is in the output: %q", text)
			}
		}
	}
}

func TestRestoreReady(t *testing.T) {
	f := newFakeCluster()
	m := f.located(defaultSpec())
	var log syncBuffer
	done := f.start(context.Background(), m, &log)

	untilLogged(t, &log, `phase "Setting up primary"`, func() {
		f.setStatus(t, map[string]any{"phase": "Setting up primary", "readyInstances": int64(0)})
	})
	select {
	case o := <-done:
		t.Fatalf("Restore returned while the Cluster was recovering: %v", o.err)
	case <-time.After(200 * time.Millisecond):
	}
	o := f.untilReturned(t, done, map[string]any{"phase": "Cluster in healthy state", "readyInstances": int64(1)})
	if o.err != nil {
		t.Fatalf("Restore: %v", o.err)
	}
	if o.res.Database != "app" || o.res.Format != "cnpg" || o.res.ExactMajor != 0 {
		t.Errorf("result = %+v, want database app, format cnpg, no local major", o.res)
	}
	if !strings.Contains(strings.Join(o.res.Notes, "\n"), "ghcr.io/cloudnative-pg/postgresql:15") {
		t.Errorf("notes %q do not name the image", o.res.Notes)
	}
	sec, err := f.cs.CoreV1().Secrets(testNamespace).Get(context.Background(), "billing-drill-s3", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the Secret: %v", err)
	}
	if string(sec.Data["ACCESS_SECRET_KEY"]) != testSecret || sec.Labels["restore-drill.io/run-id"] != "run-1" {
		t.Errorf("secret = %v labels %v", sec.Data, sec.Labels)
	}
	if img := nested(t, f.cluster(t), "spec", "imageName"); img != "ghcr.io/cloudnative-pg/postgresql:15" {
		t.Errorf("imageName = %v, want the backup's major", img)
	}
	for _, want := range []string{`phase "Setting up primary"`, "cluster billing is healthy"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log %q lacks %q", log.String(), want)
		}
	}
	assertNoSecret(t, log.String())
}

func TestRestoreFailsFastOnFailedPhase(t *testing.T) {
	f := newFakeCluster()
	var log syncBuffer
	done := f.start(context.Background(), f.located(defaultSpec()), &log)
	o := f.untilReturned(t, done, map[string]any{"phase": "Cluster is unrecoverable and needs manual intervention", "phaseReason": "No pods are active"})
	if o.err == nil || !strings.Contains(o.err.Error(), "No pods are active") || !strings.HasPrefix(o.err.Error(), "restore billing: cluster billing:") {
		t.Fatalf("err = %v, want the failed phase", o.err)
	}
	assertNoSecret(t, log.String(), o.err.Error())
}

func TestRestoreFailsFastOnFailedRecoveryJob(t *testing.T) {
	f := newFakeCluster()
	var log syncBuffer
	done := f.start(context.Background(), f.located(defaultSpec()), &log)
	// The Cluster and the Job are watched apart: the Job fails only once
	// the restore has seen the Cluster's phase, which its error must name.
	// The status is written again until then: a write made before the
	// restore's watch began is not sent to it.
	untilLogged(t, &log, `phase "Setting up primary"`, func() {
		f.setStatus(t, map[string]any{"phase": "Setting up primary"})
	})
	select {
	case <-f.jobsWatched:
	case <-time.After(10 * time.Second):
		t.Fatal("the restore never watched the recovery Job")
	}
	sel := map[string]string{"batch.kubernetes.io/job-name": "billing-1-full-recovery"}
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "billing-1-full-recovery", Namespace: testNamespace,
			Labels: map[string]string{"cnpg.io/cluster": "billing", "cnpg.io/jobRole": "full-recovery"}},
		Spec:   batchv1.JobSpec{Selector: &metav1.LabelSelector{MatchLabels: sel}},
		Status: batchv1.JobStatus{Failed: 1},
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "billing-1-full-recovery-x7k2p", Namespace: testNamespace, Labels: sel},
		Status: corev1.PodStatus{Phase: corev1.PodFailed, ContainerStatuses: []corev1.ContainerStatus{{
			Name: "full-recovery", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error"}},
		}}},
	}
	ctx := context.Background()
	if _, err := f.cs.CoreV1().Pods(testNamespace).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cs.BatchV1().Jobs(testNamespace).Create(ctx, job, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	o := wait(t, done)
	for _, want := range []string{
		"recovery job billing-1-full-recovery failed",
		"pod billing-1-full-recovery-x7k2p failed (container full-recovery exited 1: Error)",
		"its last log lines", // client-go's fake answers every log request with "fake logs"
		`phase "Setting up primary"`,
	} {
		if o.err == nil || !strings.Contains(o.err.Error(), want) {
			t.Errorf("err = %v, want it to hold %q", o.err, want)
		}
	}
}

// TestRestoreTimesOut: with no operator the Cluster never gets a status;
// the error says so and wraps the deadline.
func TestRestoreTimesOut(t *testing.T) {
	f := newFakeCluster()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var log syncBuffer
	o := wait(t, f.start(ctx, f.located(defaultSpec()), &log))
	if o.err == nil || !errors.Is(o.err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", o.err)
	}
	for _, want := range []string{"cluster billing in namespace " + testNamespace + " was not ready in time", "no status yet, 0/1 instances ready"} {
		if !strings.Contains(o.err.Error(), want) {
			t.Errorf("err = %v, want it to hold %q", o.err, want)
		}
	}
	assertNoSecret(t, log.String(), o.err.Error())
}

func TestRestorePluginCreatesObjectStore(t *testing.T) {
	f := newFakeCluster()
	spec := defaultSpec()
	spec.Plugin, spec.ImageName = true, "registry.example.com/postgresql:15.4"
	done := f.start(context.Background(), f.located(spec), &syncBuffer{})
	if o := f.untilReturned(t, done, map[string]any{"phase": "Cluster in healthy state", "readyInstances": int64(1)}); o.err != nil {
		t.Fatalf("Restore: %v", o.err)
	}
	store, err := f.dyn.Resource(ObjectStoreGVR).Namespace(testNamespace).Get(context.Background(), "billing-drill-store", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the ObjectStore: %v", err)
	}
	if store.GetLabels()[LabelRestore] != "billing" {
		t.Errorf("object store labels = %v", store.GetLabels())
	}
	if img := nested(t, f.cluster(t), "spec", "imageName"); img != "registry.example.com/postgresql:15.4" {
		t.Errorf("imageName = %v, want the scenario's", img)
	}
}

func TestRestoreRefusesLocalSandbox(t *testing.T) {
	m := newFakeCluster().located(defaultSpec())
	_, err := m.Restore(context.Background(), localSandbox{}, nil, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "creates a CloudNativePG Cluster, which needs a cluster sandbox") {
		t.Fatalf("err = %v", err)
	}
}

type localSandbox struct{}

func (localSandbox) Describe() string { return "local PostgreSQL 15" }
func (localSandbox) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, errors.New("no")
}
func (localSandbox) Destroy(context.Context) error { return nil }
