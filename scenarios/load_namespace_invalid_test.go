package scenarios

import (
	"path/filepath"
	"testing"
)

// TestLoadInvalidNamespaceFiles checks the problems of the namespace
// sandbox, apps, in-cluster restores and cluster checks: each with its
// line, field and message, every one at once.
func TestLoadInvalidNamespaceFiles(t *testing.T) {
	tests := []struct {
		file string
		want []want // every problem, in order
	}{
		{"invalid-namespace-sandbox.yaml", []want{
			{10, "spec.sandbox.namespace.prefix", `would have 75 characters, more than 63: shorten the prefix or metadata.name (together at most 53)`},
			{11, "spec.sandbox.namespace.ttl", `must be positive, not 0s`},
			{12, "spec.sandbox.namespace.isolate", `must be true or false, not the string "yes"`},
			{14, "spec.sandbox.namespace.quota[cpu]", `"four" is not a quantity: write e.g. 500m, 2, 8Gi`},
			{15, "spec.sandbox.namespace.quota[bad key!]", `"bad key!" is not a valid resource name: name part must consist of`},
			{16, "spec.sandbox.namespace.quota[memory]", `"-1Gi" must not be negative`},
			{18, "spec.sandbox.namespace.limitRange.default[memory]", `"lots" is not a quantity: write e.g. 500m, 2, 8Gi`},
		}},
		{"invalid-two-sandboxes.yaml", []want{
			{7, "spec.sandbox", `set one sandbox kind, not both local and namespace`},
			{10, "spec.sandbox.namespace.prefix", `"Drill" is not a valid name: use lowercase letters, digits and '-',`},
			{11, "spec.sandbox.namespace.limitRange", `set defaultRequest or default (or both), or remove limitRange`},
		}},
		{"invalid-apps.yaml", []want{
			{10, "spec.apps[0]", `set argocd or helm, not both: one app is brought up one way`},
			{13, "spec.apps[1]", `set how the app is brought up: argocd (an Argo CD Application) or`},
			{14, "spec.apps[2].name", `"both" is already used by spec.apps[0]: each must be unique`},
			{15, "spec.apps[2].argocd", `set fromApplication or source, not both`},
			{19, "spec.apps[3].timeout", `must be positive, not 0s`},
			{21, "spec.apps[3].argocd.fromApplication", `"Shop_Prod" is not a valid object name: a lowercase RFC 1123`},
			{24, "spec.apps[4].argocd.revision", `overrides the revision of fromApplication: with source, set`},
			{25, "spec.apps[4].argocd.source", `set helm or kustomize, not both: a source is one or the other`},
			{26, "spec.apps[4].argocd.source.repoURL", `is required: the git or Helm repository as Argo CD knows it`},
			{27, "spec.apps[4].argocd.source.path", `is a directory in the repository, relative to its top: write "deploy"`},
			{29, "spec.apps[4].argocd.source.helm.releaseName", `"Shop" is not a valid name: use lowercase letters, digits and '-',`},
			{30, "spec.apps[4].argocd.source.helm.values", `must be a YAML mapping of values (write it as a block: values: |),`},
			{31, "spec.apps[4].argocd.source.helm.parameters[image tag]", `"image tag" is not a value's path: write e.g. image.tag`},
			{33, "spec.apps[4].argocd.source.kustomize.images[0]", `"" is not an image override: write e.g. nginx=nginx:1.27 or`},
			{36, "spec.apps[5].argocd.source", `set path (a directory in a git repository) or chart (a chart in a`},
			{45, "spec.apps[6].argocd.source.kustomize", `applies to a directory (path), not to a chart`},
			{46, "spec.apps[6].argocd.source.kustomize.commonLabels[bad key!]", `label key "bad key!": the name must be 1 to 63 letters, digits, '-',`},
			{53, "spec.apps[7].argocd.source.helm.values", `is not a YAML document: error converting YAML to JSON: yaml: line 1:`},
			{56, "spec.apps[8].helm.chart", `with repository, is the chart's name in it (e.g. postgresql), not a`},
			{57, "spec.apps[8].helm.repository", `"ftp://charts.example.com" must start with https://, http:// or oci://`},
			{60, "spec.apps[9].helm.chart", `is required: a chart directory or .tgz on this machine, or a chart's`},
			{61, "spec.apps[9].helm.version", `picks a chart from repository: a chart on this machine has its own`},
			{62, "spec.apps[9].helm.valuesFiles[0]", `is empty: name a values file`},
			{64, "spec.apps[10].helm.release", `must be at most 53 characters (Helm's limit for a release name), not`},
		}},
		{"invalid-cluster-restores.yaml", []want{
			{16, "spec.restores[0].postgres.target", `is required in a namespace sandbox: the PostgreSQL server there to`},
			{18, "spec.restores[1].waitFor[1]", `no app is named "cache": the apps are "db"`},
			{18, "spec.restores[1].waitFor[2]", `"db" is already listed at spec.restores[1].waitFor[0]`},
			{22, "spec.restores[1].postgres.target", `set one of service, selector and address, not 2`},
			{23, "spec.restores[1].postgres.target.service", `"DB" is not a valid Service name: a DNS-1035 label must consist of`},
			{25, "spec.restores[1].postgres.target.port", `must be between 1 and 65535 (got 70000)`},
			{31, "spec.restores[2].postgres.target.address", `"db.example.com" is not host:port: write e.g. 127.0.0.1:5432 or`},
			{32, "spec.restores[2].postgres.target.port", `address carries the port: remove port, or write it into address`},
			{34, "spec.restores[2].postgres.target.passwordEnv", `set secret or passwordEnv, not both: the credentials come from one`},
			{35, "spec.restores[2].postgres.target.userEnv", `set secret or userEnv, not both: the credentials come from one place`},
			{35, "spec.restores[2].postgres.target.userEnv", `"1USER" is not an environment variable name: use letters, digits and`},
			{36, "spec.restores[2].postgres.target.passwordKey", `"a key" is not a valid Secret key: a valid config key must consist of`},
			{37, "spec.restores[2].postgres.target.readyTimeout", `"1d" is not a duration: days are not a unit: write 24h for a day,`},
			{42, "spec.restores[3].postgres.target", `set service (a Service in the sandbox), selector (the labels of a pod`},
			{45, "spec.restores[4].barman", `recovers into the local sandbox only: use sandbox local, or a job`},
			{48, "spec.restores[5].job.image", `is required: the container image that restores, e.g.`},
			{49, "spec.restores[5].job.env[1BAD]", `"1BAD" is not a valid environment variable name: a valid environment`},
			{51, "spec.restores[5].job.secretEnv[0].name", `"GOOD" is already set by spec.restores[5].job.env[GOOD]: set each`},
			{52, "spec.restores[5].job.secretEnv[1].secret", `"Not_A_Secret" is not a valid object name: a lowercase RFC 1123`},
			{52, "spec.restores[5].job.secretEnv[1].key", `"bad key" is not a valid Secret key: a valid config key must consist`},
			{53, "spec.restores[5].job.serviceAccount", `"Bad_Account" is not a valid object name: a lowercase RFC 1123`},
			{54, "spec.restores[5].job.backoffLimit", `must not be negative (got -1)`},
			{56, "spec.restores[6].source", `set path or s3, not both: one restore reads one source`},
			{61, "spec.restores[7].postgres.database", `"c" is already used by spec.restores[2]: each must be unique`},
			{62, "spec.restores[7].postgres.target.address", `"db.example.com" is not host:port: write e.g. 127.0.0.1:5432 or`},
			{62, "spec.restores[7].postgres.target.port", `address carries the port: remove port, or write it into address`},
			{65, "spec.checks[0].sql.restore", `"job" is a job restore, which gives drill no database to query: prove`},
		}},
		{"invalid-cluster-in-local.yaml", []want{
			{9, "spec.apps", `apps are brought up in a cluster: set sandbox namespace (the local`},
			{14, "spec.restores[0].waitFor[0]", `no app is named "web": the apps are "db"`},
			{18, "spec.restores[0].postgres.target", `is for a namespace sandbox: the local sandbox restores into a server`},
			{20, "spec.restores[1].job", `runs a Kubernetes Job: only in a namespace sandbox`},
			{23, "spec.checks[0].workload", `reads a Kubernetes cluster: only in a namespace sandbox`},
			{25, "spec.checks[1].http", `reads a Kubernetes cluster: only in a namespace sandbox`},
		}},
		{"invalid-cluster-checks.yaml", []want{
			{21, "spec.checks[0]", `set one check kind, not workload, http and exists: split it into 3`},
			{26, "spec.checks[1].workload", `set kind and name, or selector, not both`},
			{28, "spec.checks[2].workload", `set kind and name (a Deployment or StatefulSet) or selector (the`},
			{30, "spec.checks[3].workload.kind", `must be Deployment or StatefulSet, not "DaemonSet": for other`},
			{30, "spec.checks[3].workload.name", `"Web_1" is not a valid object name: a lowercase RFC 1123 subdomain`},
			{32, "spec.checks[4].workload.kind", `is required with name: Deployment or StatefulSet`},
			{34, "spec.checks[5].argocd.app", `app "db" is brought up with helm, not argocd: check it with a`},
			{36, "spec.checks[6].argocd.app", `no argocd app is named "api": the argocd apps are "web"`},
			{38, "spec.checks[7].http", `set service or url, not both`},
			{40, "spec.checks[8].http.port", `is required with service: the Service's port`},
			{40, "spec.checks[8].http.path", `must start with '/', not "healthz"`},
			{40, "spec.checks[8].http.status", `must be an HTTP status code between 100 and 599 (got 99)`},
			{42, "spec.checks[9].http.url", `"ftp://web/" must start with http:// or https://`},
			{42, "spec.checks[9].http.port", `is for service: a URL carries its own port`},
			{42, "spec.checks[9].http.path", `is for service: a URL carries its own path`},
			{44, "spec.checks[10].exists.objects", `at least one object is required: apiVersion (for kinds that are not`},
			{48, "spec.checks[11].exists.objects[0].kind", `"widget" is not a kind: kinds are CamelCase, e.g. ConfigMap`},
			{49, "spec.checks[11].exists.objects[1].apiVersion", `is required for kind Widget, which drill does not know: write e.g.`},
			{50, "spec.checks[11].exists.objects[2].apiVersion", `v1 has no kind Deployment: write apiVersion: apps/v1, or leave it out`},
			{51, "spec.checks[11].exists.objects[3].apiVersion", `"apps" is not an apiVersion: write v1 or GROUP/VERSION, e.g. apps/v1`},
			{51, "spec.checks[11].exists.objects[3].name", `"d/e" is not an object name: it may not contain '/' or '%'`},
		}},
		{"invalid-helm-values.yaml", []want{
			{14, "spec.apps[0].helm.values[image]", `YAML reads !custom as a tag: quote the value, e.g. "!custom thing"`},
			{17, "spec.apps[0].helm.values[auth][user]", `duplicate key "user" (first set on line 16): keep one`},
			{18, "spec.apps[0].helm.values[merged]", `merge keys (<<) are not supported: write the fields out`},
			{19, "spec.apps[0].helm.values", `keys must be strings, not the number 3`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { assertInvalidFile(t, filepath.Join("testdata", tt.file), tt.want) })
	}
}
