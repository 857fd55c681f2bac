package scenarios

import (
	"cmp"
	"maps"
	"path/filepath"
	"slices"
	"time"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// fromV1alpha1 converts a decoded, defaulted v1alpha1 scenario. Values that
// cannot be converted (a duration that does not parse) are recorded in p
// and left zero; the rest of the rules are validate's.
func fromV1alpha1(in *v1alpha1.Scenario, file string, p *problems) *Scenario {
	spec := in.Spec
	s := &Scenario{
		Name:    in.Metadata.Name,
		File:    file,
		Labels:  maps.Clone(in.Metadata.Labels),
		Timeout: convertDuration(spec.Timeout, "spec.timeout", p),
	}
	if spec.Cadence != "" {
		c, err := ParseCadence(string(spec.Cadence))
		if err != nil {
			p.reject("spec.cadence", "%v", err)
		}
		s.Cadence = c
	}
	if o := spec.Objectives; o != nil {
		s.Objectives = Objectives{
			RTO: convertDuration(o.RTO, "spec.objectives.rto", p),
			RPO: convertDuration(o.RPO, "spec.objectives.rpo", p),
		}
	}
	if spec.Sandbox.Local != nil {
		s.Sandbox = Sandbox{
			Kind:  SandboxLocal,
			Local: &LocalSandbox{BinDir: relativeTo(file, spec.Sandbox.Local.BinDir)},
		}
	}
	if ns := spec.Sandbox.Namespace; ns != nil {
		// Both kinds set is validate's to report; Kind names the first.
		s.Sandbox.Namespace = convertNamespace(ns, "spec.sandbox.namespace", p)
		if s.Sandbox.Kind == "" {
			s.Sandbox.Kind = SandboxNamespace
		}
	}
	convertKindSandboxes(spec.Sandbox, file, &s.Sandbox)
	for i, a := range spec.Apps {
		s.Apps = append(s.Apps, convertApp(a, file, indexPath("spec.apps", i), p))
	}
	s.Bootstrap = convertBootstrap(spec.Bootstrap, file, p)
	for i, r := range spec.Restores {
		s.Restores = append(s.Restores, convertRestore(r, file, indexPath("spec.restores", i), p))
		if s.Bootstrap != nil && r.WaitFor == nil {
			s.Restores[i].WaitFor = appNames(s.Apps)
			s.Restores[i].WaitForPlatform = true
		}
	}
	for i, c := range spec.Checks {
		s.Checks = append(s.Checks, convertCheck(c, indexPath("spec.checks", i), p))
	}
	return s
}

func convertRestore(in v1alpha1.Restore, file, path string, p *problems) Restore {
	out := Restore{
		Name:    in.Name,
		Timeout: convertDuration(in.Timeout, childPath(path, "timeout"), p),
		Source:  convertSource(in.Source, file, childPath(path, "source"), p),
	}
	if b := in.Barman; b != nil {
		out.Barman = &BarmanRestore{ServerName: b.ServerName, User: cmp.Or(b.User, "postgres"), Database: cmp.Or(b.Database, "postgres")}
		out.Barman.TargetTime, out.Barman.BackupID = convertRecoveryTarget(b.Target, childPath(path, "barman.target.time"), p)
	}
	if b := in.PgBackRest; b != nil {
		out.PgBackRest = &PgBackRestRestore{Stanza: b.Stanza, User: cmp.Or(b.User, "postgres"), Database: cmp.Or(b.Database, "postgres")}
		out.PgBackRest.TargetTime, out.PgBackRest.BackupID = convertRecoveryTarget(b.Target, childPath(path, "pgbackrest.target.time"), p)
		out.PgBackRest.CipherPassEnv = convertPgBackRestEncryption(b.Encryption, childPath(path, "pgbackrest.encryption.passphraseEnv"), p)
	}
	if pg := in.Postgres; pg != nil {
		jobs := v1alpha1.DefaultJobs
		if pg.Jobs != nil {
			jobs = *pg.Jobs
		}
		out.Postgres = &PostgresRestore{
			Database:   pg.Database,
			Jobs:       jobs,
			Roles:      slices.Clone(pg.Roles),
			KeepOwners: pg.KeepOwners,
		}
		if t := pg.Target; t != nil {
			out.Postgres.Target = convertTarget(t, childPath(path, "postgres.target"), p)
		}
	}
	if j := in.Job; j != nil {
		out.Job = convertJob(j)
	}
	if e := in.Etcd; e != nil {
		out.Etcd = convertEtcd(e)
	}
	if c := in.CNPG; c != nil {
		out.CNPG = convertCNPG(c, path, p)
	}
	if in.WaitFor != nil {
		// Not nil, even when empty: an explicit waitFor: [] waits for no app.
		out.WaitFor = append([]string{}, *in.WaitFor...)
	}
	return out
}

func convertSource(in v1alpha1.Source, file, path string, p *problems) Source {
	out := Source{Path: relativeTo(file, in.Path)}
	if pk := in.Pick; pk != nil {
		out.Pick.Rule = pk.Rule
		out.Pick.Window = convertDuration(pk.Window, childPath(path, "pick.window"), p)
		out.Pick.Pattern = pk.Pattern
	}
	if s3 := in.S3; s3 != nil {
		out.S3 = &S3Source{
			Endpoint:  cmp.Or(s3.Endpoint, v1alpha1.DefaultS3Endpoint),
			Bucket:    s3.Bucket,
			Prefix:    s3.Prefix,
			Region:    s3.Region,
			PathStyle: s3.PathStyle,
			Credentials: S3Credentials{
				AccessKeyIDEnv:     v1alpha1.DefaultAccessKeyIDEnv,
				SecretAccessKeyEnv: v1alpha1.DefaultSecretAccessKeyEnv,
				SessionTokenEnv:    v1alpha1.DefaultSessionTokenEnv,
			},
		}
		if t := s3.TLS; t != nil {
			out.S3.CAFile = relativeTo(file, t.CAFile)
			out.S3.InsecureSkipVerify = t.InsecureSkipVerify
		}
		if c := s3.Credentials; c != nil {
			cr := &out.S3.Credentials
			cr.AccessKeyIDEnv = cmp.Or(c.AccessKeyIDEnv, cr.AccessKeyIDEnv)
			cr.SecretAccessKeyEnv = cmp.Or(c.SecretAccessKeyEnv, cr.SecretAccessKeyEnv)
			cr.SessionTokenEnv = cmp.Or(c.SessionTokenEnv, cr.SessionTokenEnv)
			cr.File = relativeTo(file, c.File)
			cr.Profile = c.Profile
			if cr.File != "" {
				cr.Profile = cmp.Or(c.Profile, v1alpha1.DefaultCredentialsProfile)
			}
		}
	}
	return out
}

func convertCheck(in v1alpha1.Check, path string, p *problems) Check {
	out := Check{
		Name:    in.Name,
		Timeout: convertDuration(in.Timeout, childPath(path, "timeout"), p),
	}
	if in.SQL != nil {
		out.SQL = &SQLCheck{
			Restore: in.SQL.Restore,
			Query:   in.SQL.Query,
			Expect:  string(in.SQL.Expect),
		}
		if in.SQL.Rows != nil {
			rows := *in.SQL.Rows
			out.SQL.Rows = &rows
		}
	}
	if in.RPO != nil {
		out.RPO = &RPOCheck{Restore: in.RPO.Restore, Query: in.RPO.Query}
	}
	convertClusterCheck(in, &out)
	out.Command = convertCommandCheck(in.Command)
	return out
}

// convertDuration parses a duration that was written; "" stays zero.
func convertDuration(d v1alpha1.Duration, path string, p *problems) time.Duration {
	if d == "" {
		return 0
	}
	out, err := parsePositiveDuration(string(d))
	if err != nil {
		p.reject(path, "%v", err)
	}
	return out
}

// relativeTo resolves a relative path against the scenario file's
// directory, so that a scenario kept next to its backups works from any
// working directory.
func relativeTo(file, path string) string {
	if file == "" || path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(filepath.Dir(file), path)
}

// convertRecoveryTarget reads a recovery target: its time and backup id.
func convertRecoveryTarget(t *v1alpha1.RecoveryTarget, timePath string, p *problems) (time.Time, string) {
	if t == nil {
		return time.Time{}, ""
	}
	var when time.Time
	if t.Time != "" {
		var err error
		if when, err = time.Parse(time.RFC3339, t.Time); err != nil {
			p.reject(timePath, "%q is not an RFC 3339 time: write e.g. 2026-11-27T03:00:00Z", t.Time)
		}
	}
	return when, t.BackupID
}
