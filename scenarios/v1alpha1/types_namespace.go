package v1alpha1

// NamespaceSandbox is a new namespace in an existing cluster, named
// PREFIX-SCENARIO-ID (ID: 8 characters of the run), labelled with the run id
// and the scenario, and annotated with when it expires. drill never writes
// to, restores into or deletes anything outside it.
type NamespaceSandbox struct {
	// Prefix starts the namespace's name: a DNS-1123 label. The whole name,
	// PREFIX-SCENARIO-ID, must fit in 63 characters, so the prefix and
	// metadata.name together may have at most 53. Default: drill.
	Prefix string `json:"prefix,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=52,default=drill"`
	// TTL is how long the namespace may outlive its run: drill cleanup
	// deletes drill namespaces whose TTL has expired (a run killed before its
	// teardown, or one kept with --retain). Default: 24h.
	TTL Duration `json:"ttl,omitempty" jsonschema:"default=24h"`
	// Isolate adds a NetworkPolicy that denies all traffic into and out of
	// the namespace except between its own pods and to DNS, so that a
	// restored service cannot reach production. Set false for a service that
	// must reach outside (an object store, an identity provider).
	// Default: true.
	Isolate *bool `json:"isolate,omitempty" jsonschema:"default=true"`
	// Quota is a ResourceQuota's hard limits for the namespace: resource
	// names and quantities, e.g. {cpu: "4", memory: 8Gi, pods: 20}.
	// Default: none (no ResourceQuota).
	Quota map[string]Quantity `json:"quota,omitempty"`
	// LimitRange gives containers that declare no resources default
	// requests and limits, which a quota on cpu or memory requires.
	// Default: none (no LimitRange).
	LimitRange *LimitRange `json:"limitRange,omitempty"`
}

// LimitRange gives a namespace's containers default resources.
type LimitRange struct {
	// DefaultRequest is the requests of a container that sets none, e.g.
	// {cpu: 100m, memory: 128Mi}. Default: none.
	DefaultRequest map[string]Quantity `json:"defaultRequest,omitempty"`
	// Default is the limits of a container that sets none, e.g.
	// {cpu: "1", memory: 512Mi}. Default: none.
	Default map[string]Quantity `json:"default,omitempty"`
}
