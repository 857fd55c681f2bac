package namespace

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
	k8stesting "k8s.io/client-go/testing"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
)

const testRunID = "20261127-105327-99f0eb"

var testNow = time.Date(2026, 11, 27, 10, 53, 27, 0, time.UTC)

// syncBuffer is a progress writer that the race detector is happy with.
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

// fakeProvider is a provider whose cluster is cs.
func fakeProvider(o Options, cs kubernetes.Interface) *Provider {
	if o.Config == nil {
		o.Config = &rest.Config{Host: "https://cluster.example:6443"}
	}
	p := newProvider(o)
	p.clients = func() (kubernetes.Interface, error) { return cs, nil }
	p.now = func() time.Time { return testNow }
	return p
}

func create(t *testing.T, p *Provider) *Sandbox {
	t.Helper()
	sb, err := p.Create(context.Background(), sandbox.Options{RunID: testRunID, Scenario: "billing"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Destroy(context.Background()) })
	return sb.(*Sandbox)
}

func TestCreateMakesALabelledIsolatedNamespace(t *testing.T) {
	cs := fake.NewSimpleClientset()
	progress := &syncBuffer{}
	p := fakeProvider(Options{
		Prefix: "dr", TTL: 2 * time.Hour, Isolate: true, Progress: progress,
		Quota:      map[string]string{"pods": "20", "memory": "8Gi"},
		LimitRange: &LimitRange{Default: map[string]string{"memory": "512Mi"}, DefaultRequest: map[string]string{"cpu": "100m"}},
	}, cs)
	sb := create(t, p)
	ctx := context.Background()
	const name = "dr-billing-2799f0eb"
	want := kube.RunLabels(testRunID, "billing")

	if got := sb.Kube(); got.Namespace != name || !reflect.DeepEqual(got.Labels, want) || got.Config != p.opts.Config {
		t.Fatalf("Kube() = %+v, want namespace %s, labels %v and the provider's config", got, name, want)
	}
	ns, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ns.Labels, want) {
		t.Errorf("namespace labels %v, want %v", ns.Labels, want)
	}
	if got := ns.Annotations[kube.AnnotationExpires]; got != "2026-11-27T12:53:27Z" {
		t.Errorf("expires-at %q, want two hours after creation", got)
	}
	if got := ns.Annotations[kube.AnnotationHeartbeat]; got != "2026-11-27T10:53:27Z" {
		t.Errorf("heartbeat %q, want the creation time", got)
	}

	pol, err := cs.NetworkingV1().NetworkPolicies(name).Get(ctx, policyName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkIsolation(t, pol)
	q, err := cs.CoreV1().ResourceQuotas(name).Get(ctx, quotaName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Spec.Hard.Pods().String() != "20" || q.Spec.Hard.Memory().String() != "8Gi" {
		t.Errorf("quota %v, want pods 20 and memory 8Gi", q.Spec.Hard)
	}
	lr, err := cs.CoreV1().LimitRanges(name).Get(ctx, limitRangeName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	item := lr.Spec.Limits[0]
	if item.Type != corev1.LimitTypeContainer || item.Default.Memory().String() != "512Mi" || item.DefaultRequest.Cpu().String() != "100m" {
		t.Errorf("limit range %+v, want containers' default memory 512Mi and request cpu 100m", item)
	}
	for what, labels := range map[string]map[string]string{"NetworkPolicy": pol.Labels, "ResourceQuota": q.Labels, "LimitRange": lr.Labels} {
		if !reflect.DeepEqual(labels, want) {
			t.Errorf("%s labels %v, want the run's %v", what, labels, want)
		}
	}
	if !strings.Contains(progress.String(), "namespace dr-billing-2799f0eb created (isolated by NetworkPolicy drill-isolate, quota drill-quota, limits drill-limits, expires in 2h0m0s)") {
		t.Errorf("progress %q does not say what was made", progress)
	}
	if d := sb.Describe(); d != "namespace dr-billing-2799f0eb on https://cluster.example:6443" {
		t.Errorf("Describe() = %q", d)
	}
}

// checkIsolation: ingress only from the namespace's pods; egress only to
// them and to port 53 (UDP and TCP) in any namespace.
func checkIsolation(t *testing.T, pol *networkingv1.NetworkPolicy) {
	t.Helper()
	s := pol.Spec
	if len(s.PodSelector.MatchLabels)+len(s.PodSelector.MatchExpressions) != 0 {
		t.Errorf("policy selects %v, want every pod", s.PodSelector)
	}
	if !reflect.DeepEqual(s.PolicyTypes, []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}) {
		t.Errorf("policy types %v, want Ingress and Egress", s.PolicyTypes)
	}
	samePods := []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}}
	if len(s.Ingress) != 1 || !reflect.DeepEqual(s.Ingress[0].From, samePods) || len(s.Ingress[0].Ports) != 0 {
		t.Errorf("ingress %+v, want only from the namespace's own pods", s.Ingress)
	}
	if len(s.Egress) != 2 || !reflect.DeepEqual(s.Egress[0].To, samePods) || len(s.Egress[0].Ports) != 0 {
		t.Fatalf("egress %+v, want to the namespace's own pods, then DNS", s.Egress)
	}
	dns := s.Egress[1]
	if len(dns.To) != 1 || dns.To[0].NamespaceSelector == nil || dns.To[0].PodSelector != nil || len(dns.To[0].NamespaceSelector.MatchLabels) != 0 {
		t.Errorf("DNS egress goes to %+v, want any namespace", dns.To)
	}
	var ports []string
	for _, p := range dns.Ports {
		ports = append(ports, string(*p.Protocol)+"/"+p.Port.String())
	}
	if !reflect.DeepEqual(ports, []string{"UDP/53", "TCP/53"}) {
		t.Errorf("DNS egress ports %v, want UDP/53 and TCP/53", ports)
	}
}

func TestCreateWithoutIsolationQuotaOrLimits(t *testing.T) {
	cs := fake.NewSimpleClientset()
	sb := create(t, fakeProvider(Options{}, cs))
	if sb.Namespace() != "drill-billing-2799f0eb" {
		t.Errorf("namespace %s, want the default prefix drill", sb.Namespace())
	}
	ctx := context.Background()
	pols, _ := cs.NetworkingV1().NetworkPolicies(sb.Namespace()).List(ctx, metav1.ListOptions{})
	quotas, _ := cs.CoreV1().ResourceQuotas(sb.Namespace()).List(ctx, metav1.ListOptions{})
	limits, _ := cs.CoreV1().LimitRanges(sb.Namespace()).List(ctx, metav1.ListOptions{})
	if len(pols.Items)+len(quotas.Items)+len(limits.Items) != 0 {
		t.Fatalf("made %d policies, %d quotas, %d limit ranges; none were asked for", len(pols.Items), len(quotas.Items), len(limits.Items))
	}
	ns, _ := cs.CoreV1().Namespaces().Get(ctx, sb.Namespace(), metav1.GetOptions{})
	if ns.Annotations[kube.AnnotationExpires] != "2026-11-28T10:53:27Z" {
		t.Errorf("expires-at %q, want the default TTL of 24h", ns.Annotations[kube.AnnotationExpires])
	}
}

// A failure halfway through leaves no namespace behind.
func TestCreateFailureLeavesNothing(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		refuse  string // resource whose creation the API server refuses
		wantErr string
	}{
		{"quota refused", Options{Isolate: true, Quota: map[string]string{"pods": "1"}}, "resourcequotas", "create ResourceQuota drill-quota"},
		{"policy refused", Options{Isolate: true}, "networkpolicies", "create NetworkPolicy drill-isolate"},
		{"bad quantity", Options{LimitRange: &LimitRange{Default: map[string]string{"memory": "lots"}}}, "", `memory: "lots" is not a quantity`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs := fake.NewSimpleClientset()
			if tc.refuse != "" {
				cs.PrependReactor("create", tc.refuse, func(k8stesting.Action) (bool, runtime.Object, error) {
					return true, nil, errors.New("admission webhook denied the request")
				})
			}
			_, err := fakeProvider(tc.opts, cs).Create(context.Background(), sandbox.Options{RunID: testRunID, Scenario: "billing"})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one saying %q", err, tc.wantErr)
			}
			if !fault.IsInfra(err) {
				t.Errorf("error %v is not an infrastructure error", err)
			}
			nss, _ := cs.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})
			if len(nss.Items) != 0 {
				t.Fatalf("namespace %s left behind", nss.Items[0].Name)
			}
		})
	}
}

// A namespace of the same name that drill did not make is refused and
// left alone.
func TestCreateNeverTakesAnExistingNamespace(t *testing.T) {
	theirs := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "drill-billing-2799f0eb", Labels: map[string]string{"team": "payments"}}}
	cs := fake.NewSimpleClientset(theirs)
	_, err := fakeProvider(Options{}, cs).Create(context.Background(), sandbox.Options{RunID: testRunID, Scenario: "billing"})
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("error %v, want already exists", err)
	}
	ns, err := cs.CoreV1().Namespaces().Get(context.Background(), theirs.Name, metav1.GetOptions{})
	if err != nil || ns.Labels["team"] != "payments" {
		t.Fatalf("the existing namespace was touched: %v, %v", ns, err)
	}
}

func TestCreateRefusesLabelsThatCannotBe(t *testing.T) {
	cs := fake.NewSimpleClientset()
	_, err := fakeProvider(Options{}, cs).Create(context.Background(), sandbox.Options{RunID: testRunID, Scenario: "billing monthly!"})
	if err == nil || !strings.Contains(err.Error(), `scenario name "billing monthly!" cannot be a Kubernetes label value`) {
		t.Fatalf("error %v", err)
	}
	if len(cs.Actions()) != 0 {
		t.Fatalf("the cluster was asked %v before the labels were checked", cs.Actions())
	}
}

func TestDestroyDeletesTheNamespace(t *testing.T) {
	cs := fake.NewSimpleClientset()
	sb := create(t, fakeProvider(Options{Isolate: true}, cs))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sb.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, sb.Namespace(), metav1.GetOptions{}); err == nil {
		t.Fatal("namespace still there after Destroy")
	}
	var deletes int
	for _, a := range cs.Actions() {
		if d, ok := a.(k8stesting.DeleteAction); ok && a.GetResource().Resource == "namespaces" {
			deletes++
			opts := d.GetDeleteOptions()
			if opts.Preconditions == nil || opts.Preconditions.UID == nil || opts.PropagationPolicy == nil || *opts.PropagationPolicy != metav1.DeletePropagationForeground {
				t.Errorf("namespace deleted with %+v, want foreground and the namespace's uid as a precondition", opts)
			}
		}
	}
	if err := sb.Destroy(ctx); err != nil {
		t.Fatalf("second Destroy: %v", err)
	}
	if deletes != 1 {
		t.Fatalf("%d deletions, want 1", deletes)
	}
}

// A namespace whose run label is not this run's is never deleted.
func TestDestroyRefusesAnotherRunsNamespace(t *testing.T) {
	cs := fake.NewSimpleClientset()
	sb := create(t, fakeProvider(Options{}, cs))
	ctx := context.Background()
	ns, _ := cs.CoreV1().Namespaces().Get(ctx, sb.Namespace(), metav1.GetOptions{})
	ns.Labels[kube.LabelRunID] = "someone-else"
	if _, err := cs.CoreV1().Namespaces().Update(ctx, ns, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	err := sb.Destroy(ctx)
	if err == nil || !strings.Contains(err.Error(), `belongs to run "someone-else"`) {
		t.Fatalf("error %v, want a refusal", err)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, sb.Namespace(), metav1.GetOptions{}); err != nil {
		t.Fatalf("the namespace was deleted: %v", err)
	}
}

func TestDestroyRetains(t *testing.T) {
	cs := fake.NewSimpleClientset()
	progress := &syncBuffer{}
	sb := create(t, fakeProvider(Options{Retain: true, Progress: progress}, cs))
	if !strings.Contains(sb.Describe(), "drill cleanup --run "+testRunID) {
		t.Errorf("Describe() = %q does not say how to remove it", sb.Describe())
	}
	if err := sb.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	ns, err := cs.CoreV1().Namespaces().Get(context.Background(), sb.Namespace(), metav1.GetOptions{})
	if err != nil {
		t.Fatalf("a retained namespace was deleted: %v", err)
	}
	if ns.Annotations[kube.AnnotationRetained] == "" {
		t.Errorf("a retained namespace is not marked %s: cleanup would take it for a dead run's", kube.AnnotationRetained)
	}
	if !strings.Contains(progress.String(), "namespace drill-billing-2799f0eb kept; remove it with: drill cleanup --run "+testRunID) {
		t.Errorf("progress %q does not say how to remove it", progress)
	}
}

// The heartbeat is renewed while the sandbox lives, and no more after Destroy.
func TestHeartbeat(t *testing.T) {
	cs := fake.NewSimpleClientset()
	p := fakeProvider(Options{Retain: true}, cs)
	var mu sync.Mutex
	clock := testNow
	p.now = func() time.Time { mu.Lock(); defer mu.Unlock(); clock = clock.Add(time.Minute); return clock }
	p.heartbeatEvery = 5 * time.Millisecond
	sb := create(t, p)
	ctx := context.Background()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ns, _ := cs.CoreV1().Namespaces().Get(ctx, sb.Namespace(), metav1.GetOptions{})
		if hb := ns.Annotations[kube.AnnotationHeartbeat]; hb > "2026-11-27T10:55:00Z" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("heartbeat not renewed: %v", ns.Annotations)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := sb.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
	patches := countPatches(cs)
	time.Sleep(50 * time.Millisecond)
	if n := countPatches(cs); n != patches {
		t.Fatalf("%d heartbeats after Destroy", n-patches)
	}
}

func countPatches(cs *fake.Clientset) int {
	n := 0
	for _, a := range cs.Actions() {
		if a.GetVerb() == "patch" {
			n++
		}
	}
	return n
}

// An interrupt while the sandbox is being made still removes the namespace:
// the undo runs on a context of its own.
func TestCreateInterruptedLeavesNothing(t *testing.T) {
	cs := fake.NewSimpleClientset()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cs.PrependReactor("create", "networkpolicies", func(k8stesting.Action) (bool, runtime.Object, error) {
		cancel() // Ctrl-C arrives while the policy is being made
		return true, nil, context.Canceled
	})
	_, err := fakeProvider(Options{Isolate: true}, cs).Create(ctx, sandbox.Options{RunID: testRunID, Scenario: "billing"})
	if !errors.Is(err, context.Canceled) || fault.IsInfra(err) {
		t.Fatalf("error %v, want the interrupt (not an infrastructure error)", err)
	}
	nss, _ := cs.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})
	if len(nss.Items) != 0 {
		t.Fatalf("namespace %s left behind after an interrupt", nss.Items[0].Name)
	}
}

// Keep (drill run --retain on a run that did not pass) leaves the namespace,
// marked kept, stops the heartbeat, and a later Destroy deletes nothing.
func TestKeep(t *testing.T) {
	cs := fake.NewSimpleClientset()
	progress := &syncBuffer{}
	p := fakeProvider(Options{Progress: progress}, cs)
	p.heartbeatEvery = time.Millisecond
	sb := create(t, p)
	ctx := context.Background()
	if err := sb.Keep(ctx); err != nil {
		t.Fatal(err)
	}
	patches := countPatches(cs)
	if err := sb.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	ns, err := cs.CoreV1().Namespaces().Get(ctx, sb.Namespace(), metav1.GetOptions{})
	if err != nil {
		t.Fatalf("a kept namespace was deleted: %v", err)
	}
	if ns.Annotations[kube.AnnotationRetained] == "" {
		t.Errorf("a kept namespace is not marked %s", kube.AnnotationRetained)
	}
	if n := countPatches(cs); n != patches {
		t.Errorf("%d heartbeats after Keep", n-patches)
	}
	if !strings.Contains(progress.String(), "remove it with: drill cleanup --run "+testRunID) {
		t.Errorf("progress %q does not say how to remove it", progress)
	}
}
