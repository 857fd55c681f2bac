package scenarios

// maxCNPGInstances bounds a drill's Cluster: one instance proves the
// recovery; a few more prove that replicas can follow it.
const maxCNPGInstances = 9

// validateCNPG checks a cnpg restore; inCluster says whether the sandbox
// is one where a CloudNativePG operator can run it.
func validateCNPG(c *CNPGRestore, src Source, inCluster bool, at string, p *problems) {
	if !inCluster {
		p.report(at, "creates a CloudNativePG Cluster: only in a namespace sandbox (use barman to recover into the local sandbox)")
	}
	if src.S3 == nil {
		p.report(at, "reads an object store: set source.s3 (bucket and prefix are the destinationPath)")
	}
	if src.S3 != nil && src.S3.InsecureSkipVerify {
		p.report(at, "the Cluster's pods check the store's certificate: give source.s3.tls.caFile instead of insecureSkipVerify")
	}
	if src.Pick != (Pick{}) {
		p.report(at, "chooses its own backup from the target: remove source.pick")
	}
	if c.ServerName == "" {
		p.report(childPath(at, "serverName"), "is required: the folder under the destinationPath (the backed-up Cluster's name)")
	}
	if !c.TargetTime.IsZero() && c.BackupID != "" {
		p.report(childPath(at, "target"), "set time or backupID, not both")
	}
	if c.Instances < 1 || c.Instances > maxCNPGInstances {
		p.report(childPath(at, "instances"), "must be between 1 and %d (got %d)", maxCNPGInstances, c.Instances)
	}
	if msg := checkQuantity(c.StorageSize); msg != "" {
		p.report(childPath(at, "storageSize"), "%s", msg)
	}
	if msg := checkIdentifier(c.Database); msg != "" {
		p.report(childPath(at, "database"), "%s", msg)
	}
	if c.User != "" {
		if msg := checkRole(c.User); msg != "" {
			p.report(childPath(at, "user"), "%s", msg)
		}
	}
}

// validateCNPGSandbox checks that the sandbox lets a Cluster work: the
// operator must reach the Cluster's pods, and they the object store and
// the API server, which the isolating NetworkPolicy forbids.
func validateCNPGSandbox(s *Scenario, p *problems) {
	if s.Sandbox.Namespace == nil || !s.Sandbox.Namespace.Isolate {
		return
	}
	for i, r := range s.Restores {
		if r.CNPG != nil {
			p.report(childPath(indexPath("spec.restores", i), "cnpg"), "needs a sandbox without isolation: the operator must reach the Cluster's pods, and they the object store and the API server; set spec.sandbox.namespace.isolate: false")
		}
	}
}
