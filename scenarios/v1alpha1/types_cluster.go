package v1alpha1

// PostgresTarget is the PostgreSQL server in the cluster sandbox that an
// archive is restored into, usually run by an app of the scenario. Exactly
// one of service, selector and address is set.
type PostgresTarget struct {
	// Service is a Service in the sandbox: drill port-forwards to a ready pod
	// behind it.
	Service string `json:"service,omitempty" jsonschema:"pattern=^[a-z]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Selector picks a ready pod in the sandbox by its labels: drill
	// port-forwards to it.
	Selector map[string]string `json:"selector,omitempty" jsonschema:"minProperties=1"`
	// Namespace holds service, selector and secret: in a full-cluster
	// rebuild the database is deployed by an app into a namespace of its
	// own. An address is reached without the cluster, so with address only
	// secret is read from namespace: set namespace with address only
	// together with secret. Only in kind and cluster sandboxes, where the
	// whole cluster is the run's: in a namespace sandbox of a shared cluster
	// another namespace holds live databases, never the run's.
	// Default: the sandbox's namespace.
	Namespace string `json:"namespace,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Address is host:port reached directly, without a port-forward: a server
	// drill can reach from where it runs.
	Address string `json:"address,omitempty" jsonschema:"minLength=3"`
	// Port is the server's port in the pod (with selector) or the Service's
	// port (with service), from 1 to 65535. Not with address, which carries
	// its own. Default: 5432.
	Port *int `json:"port,omitempty" jsonschema:"minimum=1,maximum=65535,default=5432"`
	// Secret is a Secret in the sandbox holding the credentials (under
	// userKey and passwordKey), usually created by the app. Not with userEnv
	// or passwordEnv. Default: none.
	Secret string `json:"secret,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$,maxLength=253"`
	// UserKey is the key of secret holding the user name; when the Secret
	// has no such key, user is used. Default: username.
	UserKey string `json:"userKey,omitempty" jsonschema:"pattern=^[-._a-zA-Z0-9]+$,default=username"`
	// PasswordKey is the key of secret holding the password.
	// Default: password.
	PasswordKey string `json:"passwordKey,omitempty" jsonschema:"pattern=^[-._a-zA-Z0-9]+$,default=password"`
	// UserEnv names an environment variable of drill's holding the user
	// name, for a target whose credentials are not in the sandbox.
	// Default: none (user).
	UserEnv string `json:"userEnv,omitempty" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$"`
	// PasswordEnv names an environment variable of drill's holding the
	// password. Default: none (no password, or secret's).
	PasswordEnv string `json:"passwordEnv,omitempty" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$"`
	// User is the user to connect as (a superuser, or the owner of what the
	// archive creates) when neither secret nor userEnv gives one.
	// Default: postgres.
	User string `json:"user,omitempty" jsonschema:"minLength=1,default=postgres"`
	// ReadyTimeout bounds waiting for the target to accept connections once
	// the apps the restore waits for are up. Default: 5m.
	ReadyTimeout Duration `json:"readyTimeout,omitempty" jsonschema:"default=5m"`
}

// JobRestore runs a container as a Kubernetes Job in the sandbox. It passes
// when the Job succeeds; a failed pod is retried backoffLimit times.
type JobRestore struct {
	// Image is the container image, e.g. registry.example.com/tools/restore:1.4.
	// Required.
	Image string `json:"image" jsonschema:"minLength=1"`
	// Command replaces the image's entrypoint. Default: the image's.
	Command []string `json:"command,omitempty"`
	// Args are the arguments of the command. Default: the image's.
	Args []string `json:"args,omitempty"`
	// Env are plain environment variables of the container; never put a
	// secret here (use secretEnv). Default: none.
	Env map[string]string `json:"env,omitempty"`
	// SecretEnv are environment variables read from Secrets in the sandbox,
	// so that no secret is written into the scenario or the record.
	// Default: none.
	SecretEnv []SecretEnv `json:"secretEnv,omitempty"`
	// ServiceAccount runs the Job's pod. Default: the namespace's default
	// service account.
	ServiceAccount string `json:"serviceAccount,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$,maxLength=253"`
	// BackoffLimit is how many times a failed pod is retried before the
	// restore fails. Default: 0 (a restore that fails once has failed).
	BackoffLimit int `json:"backoffLimit,omitempty" jsonschema:"minimum=0,default=0"`
}

// SecretEnv is an environment variable read from a key of a Secret in the
// sandbox.
type SecretEnv struct {
	// Name is the environment variable's name. Required.
	Name string `json:"name" jsonschema:"pattern=^[-._a-zA-Z][-._a-zA-Z0-9]*$"`
	// Secret is the Secret's name. Required.
	Secret string `json:"secret" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$,maxLength=253"`
	// Key is the key in the Secret. Required.
	Key string `json:"key" jsonschema:"pattern=^[-._a-zA-Z0-9]+$"`
}
