package v1alpha1

// WorkloadCheck passes when workloads in the sandbox are ready, watching
// them and recording the moment readiness was first seen. Exactly one form
// is set: kind and name, or selector.
type WorkloadCheck struct {
	// Kind is Deployment or StatefulSet; with name, its rollout must be
	// complete (every replica updated and ready).
	Kind string `json:"kind,omitempty" jsonschema:"enum=Deployment,enum=StatefulSet"`
	// Name is the Deployment's or StatefulSet's name. Required with kind.
	Name string `json:"name,omitempty" jsonschema:"minLength=1,maxLength=253"`
	// Selector passes when at least one pod matches these labels and every
	// pod that matches is ready.
	Selector map[string]string `json:"selector,omitempty" jsonschema:"minProperties=1"`
}

// ArgoCDCheck passes when an app's Application is Synced and Healthy.
type ArgoCDCheck struct {
	// App is the name of an app of the scenario (spec.apps) brought up with
	// argocd. Required.
	App string `json:"app" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
}

// HTTPCheck sends a GET and checks the answer. Exactly one of service and
// url is set.
type HTTPCheck struct {
	// Service is a Service in the sandbox, reached through a port-forward to
	// a ready pod behind it.
	Service string `json:"service,omitempty" jsonschema:"pattern=^[a-z]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Port is the Service's port, from 1 to 65535. Required with service.
	Port int `json:"port,omitempty" jsonschema:"minimum=1,maximum=65535"`
	// Path is the path (and query) requested from the Service, starting
	// with "/". Only with service. Default: /.
	Path string `json:"path,omitempty" jsonschema:"pattern=^/,default=/"`
	// URL is an http:// or https:// URL requested directly from where drill
	// runs.
	URL string `json:"url,omitempty" jsonschema:"pattern=^https?://"`
	// Status is the status code the answer must have, from 100 to 599.
	// Default: 200.
	Status *int `json:"status,omitempty" jsonschema:"minimum=100,maximum=599,default=200"`
	// BodyContains is text the answer's body must contain. Default: none
	// (the body is not read).
	BodyContains string `json:"bodyContains,omitempty" jsonschema:"minLength=1"`
}

// ExistsCheck passes when every listed object is present: namespaced kinds
// in the sandbox, cluster-scoped kinds in the cluster.
type ExistsCheck struct {
	// Objects are the objects that must exist. At least one is required.
	Objects []ObjectRef `json:"objects" jsonschema:"minItems=1"`
}

// ObjectRef names one Kubernetes object.
type ObjectRef struct {
	// APIVersion is the object's group and version, e.g. v1 or apps/v1.
	// Default, for built-in kinds: v1 for ConfigMap, Secret, Service,
	// ServiceAccount, PersistentVolumeClaim and Pod; apps/v1 for Deployment,
	// StatefulSet, DaemonSet and ReplicaSet; batch/v1 for Job and CronJob;
	// networking.k8s.io/v1 for Ingress and NetworkPolicy. Required for any
	// other kind.
	APIVersion string `json:"apiVersion,omitempty" jsonschema:"pattern=^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$"`
	// Kind is the object's kind, e.g. ConfigMap. Required.
	Kind string `json:"kind" jsonschema:"pattern=^[A-Z][A-Za-z0-9]*$"`
	// Name is the object's name. Required.
	Name string `json:"name" jsonschema:"minLength=1,maxLength=253"`
}
