package namespace

import (
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/restore-drill/drill/sandbox/kube"
)

// Names of the objects the sandbox makes in its namespace.
const (
	policyName     = "drill-isolate"
	quotaName      = "drill-quota"
	limitRangeName = "drill-limits"
)

// namespaceObject is the sandbox's namespace: the run's labels, when it
// expires and the first heartbeat.
func namespaceObject(name string, labels map[string]string, now time.Time, ttl time.Duration) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name:   name,
		Labels: copyMap(labels),
		Annotations: map[string]string{
			kube.AnnotationExpires:   now.Add(ttl).UTC().Format(time.RFC3339),
			kube.AnnotationHeartbeat: now.UTC().Format(time.RFC3339),
		},
	}}
}

// isolationPolicy denies every ingress and egress of the namespace's pods
// except to and from each other, and DNS (port 53, UDP and TCP) to pods in
// any namespace, where a cluster's DNS server runs. Nothing the drill
// starts can then reach a production service by an address written in its
// configuration.
func isolationPolicy(namespace string, labels map[string]string) *networkingv1.NetworkPolicy {
	udp, tcp := corev1.ProtocolUDP, corev1.ProtocolTCP
	dns := intstr.FromInt32(53)
	samePods := []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}}
	return &networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: policyName, Namespace: namespace, Labels: copyMap(labels)},
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{}, // every pod of the namespace
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
			Ingress:     []networkingv1.NetworkPolicyIngressRule{{From: samePods}},
			Egress: []networkingv1.NetworkPolicyEgressRule{
				{To: samePods},
				{
					To:    []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{}}},
					Ports: []networkingv1.NetworkPolicyPort{{Protocol: &udp, Port: &dns}, {Protocol: &tcp, Port: &dns}},
				},
			},
		},
	}
}

// resourceQuota limits the namespace to hard ("cpu": "4", "pods": "20").
func resourceQuota(namespace string, labels map[string]string, hard map[string]string) (*corev1.ResourceQuota, error) {
	list, err := resourceList(hard)
	if err != nil {
		return nil, fmt.Errorf("quota: %w", err)
	}
	return &corev1.ResourceQuota{
		ObjectMeta: metav1.ObjectMeta{Name: quotaName, Namespace: namespace, Labels: copyMap(labels)},
		Spec:       corev1.ResourceQuotaSpec{Hard: list},
	}, nil
}

// limitRange gives containers without resources of their own these.
func limitRange(namespace string, labels map[string]string, lr *LimitRange) (*corev1.LimitRange, error) {
	def, err := resourceList(lr.Default)
	if err != nil {
		return nil, fmt.Errorf("limit range default: %w", err)
	}
	req, err := resourceList(lr.DefaultRequest)
	if err != nil {
		return nil, fmt.Errorf("limit range defaultRequest: %w", err)
	}
	return &corev1.LimitRange{
		ObjectMeta: metav1.ObjectMeta{Name: limitRangeName, Namespace: namespace, Labels: copyMap(labels)},
		Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{{
			Type: corev1.LimitTypeContainer, Default: def, DefaultRequest: req,
		}}},
	}, nil
}

// resourceList parses quantities, naming the first that is not one.
func resourceList(m map[string]string) (corev1.ResourceList, error) {
	if len(m) == 0 {
		return nil, nil
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	list := corev1.ResourceList{}
	for _, k := range names {
		q, err := resource.ParseQuantity(m[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a quantity (e.g. 500m, 2, 512Mi)", k, m[k])
		}
		list[corev1.ResourceName(k)] = q
	}
	return list, nil
}

func copyMap(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
