// Package scenarios is the working form of a drill scenario: Load reads a file
// written against a public API version (today scenarios/v1alpha1), rejects
// unknown fields and duplicate keys, applies defaults, converts to the
// internal types below and validates, reporting every problem at once with
// its file, line and field path.
//
// The engine only ever sees these internal types; the versioned types are for
// users and for the JSON Schema.
//
// Every error Load and Validate return for a wrong scenario is an *Error
// listing the problems, one per line ("billing.yaml:12:
// spec.restores[0].postgres.jobs: must be between 1 and 64 (got 0)");
// IsInvalid tells it apart from other errors. ParseExpect reads the
// expectation of a sql check, for validation here and for the check itself.
//
// Relative paths in a scenario (a restore's source.path, the local
// sandbox's binDir, a helm app's chart and valuesFiles) are taken from the
// scenario file's directory.
//
// A namespace sandbox adds apps (Argo CD or Helm), restores into a
// PostgreSQL target in the cluster or by a Job, and checks that read the
// cluster (workload, argocd, http, exists); validation refuses each of them
// in the local sandbox, and barman and pgbackrest restores in a namespace.
package scenarios
