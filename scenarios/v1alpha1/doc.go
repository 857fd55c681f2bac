// Package v1alpha1 holds the scenario format users write, apiVersion
// restore-drill.io/v1alpha1, kind Scenario:
//
//	apiVersion: restore-drill.io/v1alpha1
//	kind: Scenario
//	metadata:
//	  name: billing-monthly
//	spec:
//	  objectives: {rto: 10m, rpo: 26h}
//	  sandbox: {local: {}}
//	  restores:
//	    - name: billing
//	      source: {path: /var/backups/billing/}
//	      postgres: {database: billing}
//	  checks:
//	    - name: invoices-present
//	      sql: {restore: billing, query: select count(*) from invoices, expect: ">= 1000"}
//
// A namespace sandbox (spec.sandbox.namespace) drills one service in a
// cluster instead: spec.apps brings it up through Argo CD or Helm, postgres
// restores name a target server there (or a job restore runs a container),
// and workload, argocd, http and exists checks read the cluster.
//
// Every field's doc comment says what it means and its default; the same text
// becomes the field's description in the JSON Schema that Schema returns, so
// editors show it. Fields that are not set are defaulted by SetDefaults.
//
// The types are plain data: reading a file strictly (unknown fields and
// duplicate keys are errors), converting and validating is package scenarios'
// job.
package v1alpha1
