package v1alpha1

import "slices"

// Defaults for fields a scenario leaves out.
const (
	DefaultTimeout      Duration = "1h"
	DefaultCheckTimeout Duration = "5m"
	DefaultJobs                  = 1

	DefaultS3Endpoint         = "https://s3.amazonaws.com"
	DefaultAccessKeyIDEnv     = "AWS_ACCESS_KEY_ID"
	DefaultSecretAccessKeyEnv = "AWS_SECRET_ACCESS_KEY"
	DefaultSessionTokenEnv    = "AWS_SESSION_TOKEN"
	DefaultCredentialsProfile = "default"

	DefaultNamespacePrefix           = "drill"
	DefaultNamespaceTTL     Duration = "24h"
	DefaultNamespaceIsolate          = true

	DefaultAppTimeout     Duration = "10m"
	DefaultArgoCDRevision          = "HEAD"

	DefaultTargetPort                  = 5432
	DefaultTargetUser                  = "postgres"
	DefaultTargetUserKey               = "username"
	DefaultTargetPasswordKey           = "password"
	DefaultTargetReadyTimeout Duration = "5m"

	DefaultHTTPPath   = "/"
	DefaultHTTPStatus = 200

	DefaultCommandExitCode = 0
)

// builtinAPIVersions are the apiVersions of the built-in kinds an exists
// check may leave apiVersion out for.
var builtinAPIVersions = map[string]string{
	"ConfigMap":             "v1",
	"Secret":                "v1",
	"Service":               "v1",
	"ServiceAccount":        "v1",
	"PersistentVolumeClaim": "v1",
	"Pod":                   "v1",
	"Deployment":            "apps/v1",
	"StatefulSet":           "apps/v1",
	"DaemonSet":             "apps/v1",
	"ReplicaSet":            "apps/v1",
	"Job":                   "batch/v1",
	"CronJob":               "batch/v1",
	"Ingress":               "networking.k8s.io/v1",
	"NetworkPolicy":         "networking.k8s.io/v1",
}

// BuiltinAPIVersion returns the apiVersion of a built-in kind, or "" for a
// kind whose apiVersion must be written.
func BuiltinAPIVersion(kind string) string { return builtinAPIVersions[kind] }

// SetDefaults fills in every field the scenario leaves out with its
// documented default. Fields that are set, even to invalid values, are left
// alone so that validation can report them; so are defaults that would hide
// a mistake (a port beside an address that carries its own, a path beside a
// URL).
func SetDefaults(s *Scenario) {
	if s.Spec.Timeout == "" {
		s.Spec.Timeout = DefaultTimeout
	}
	if ns := s.Spec.Sandbox.Namespace; ns != nil {
		setNamespaceDefaults(ns)
	}
	for i := range s.Spec.Apps {
		setAppDefaults(&s.Spec.Apps[i])
	}
	waitFor := s.Spec.Apps
	if b := s.Spec.Bootstrap; b != nil {
		setBootstrapDefaults(b)
		// With a bootstrap, the default is the whole platform: children
		// are known only at run time, so the loader marks it instead.
		waitFor = nil
	}
	for i := range s.Spec.Restores {
		setRestoreDefaults(&s.Spec.Restores[i], waitFor)
	}
	for i := range s.Spec.Checks {
		setCheckDefaults(&s.Spec.Checks[i])
	}
}

func setNamespaceDefaults(ns *NamespaceSandbox) {
	if ns.Prefix == "" {
		ns.Prefix = DefaultNamespacePrefix
	}
	if ns.TTL == "" {
		ns.TTL = DefaultNamespaceTTL
	}
	if ns.Isolate == nil {
		isolate := DefaultNamespaceIsolate
		ns.Isolate = &isolate
	}
}

func setAppDefaults(a *App) {
	if a.Timeout == "" {
		a.Timeout = DefaultAppTimeout
	}
	if a.ArgoCD != nil && a.ArgoCD.Source != nil && a.ArgoCD.Source.Revision == "" {
		a.ArgoCD.Source.Revision = DefaultArgoCDRevision
	}
	if a.Helm != nil && a.Helm.Release == "" {
		a.Helm.Release = a.Name
	}
}

// setRestoreDefaults fills in a restore; apps are the scenario's, which a
// restore waits for unless it says otherwise.
func setRestoreDefaults(r *Restore, apps []App) {
	if pg := r.Postgres; pg != nil {
		if pg.Jobs == nil {
			jobs := DefaultJobs
			pg.Jobs = &jobs
		}
		if t := pg.Target; t != nil {
			setTargetDefaults(t)
		}
	}
	if r.WaitFor == nil && len(apps) > 0 {
		// Each name once: two apps of one name are validation's to report.
		var names []string
		for _, a := range apps {
			if a.Name != "" && !slices.Contains(names, a.Name) {
				names = append(names, a.Name)
			}
		}
		r.WaitFor = &names
	}
}

func setTargetDefaults(t *PostgresTarget) {
	if t.Port == nil && t.Address == "" {
		port := DefaultTargetPort
		t.Port = &port
	}
	if t.User == "" {
		t.User = DefaultTargetUser
	}
	if t.UserKey == "" {
		t.UserKey = DefaultTargetUserKey
	}
	if t.PasswordKey == "" {
		t.PasswordKey = DefaultTargetPasswordKey
	}
	if t.ReadyTimeout == "" {
		t.ReadyTimeout = DefaultTargetReadyTimeout
	}
}

func setCheckDefaults(c *Check) {
	if c.Timeout == "" {
		c.Timeout = DefaultCheckTimeout
	}
	if h := c.HTTP; h != nil {
		if h.Path == "" && h.URL == "" {
			h.Path = DefaultHTTPPath
		}
		if h.Status == nil {
			status := DefaultHTTPStatus
			h.Status = &status
		}
	}
	if cmd := c.Command; cmd != nil && cmd.ExitCode == nil {
		code := DefaultCommandExitCode
		cmd.ExitCode = &code
	}
	if e := c.Exists; e != nil {
		for i := range e.Objects {
			if o := &e.Objects[i]; o.APIVersion == "" {
				o.APIVersion = BuiltinAPIVersion(o.Kind)
			}
		}
	}
}
