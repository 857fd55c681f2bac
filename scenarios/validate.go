package scenarios

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Validate checks every rule a scenario must meet and returns an *Error
// listing every problem, or nil. Load already validates; Validate is for
// scenarios built in code. Its problems have field paths but no lines.
func (s *Scenario) Validate() error {
	p := newProblems(s.File)
	validate(s, p)
	return p.err()
}

func validate(s *Scenario, p *problems) {
	if msg := checkName(s.Name); msg != "" {
		p.report("metadata.name", "%s", msg)
	}
	checkLabels(s.Labels, "metadata.labels", p)
	if s.Cadence.Interval < 0 || (s.Cadence.Name != "" && s.Cadence.Interval == 0) {
		p.report("spec.cadence", "must have a positive interval, not %s", s.Cadence.Interval)
	}
	if s.Objectives.RTO < 0 {
		p.report("spec.objectives.rto", "must not be negative, not %s", s.Objectives.RTO)
	}
	if s.Objectives.RPO < 0 {
		p.report("spec.objectives.rpo", "must not be negative, not %s", s.Objectives.RPO)
	}
	if s.Timeout <= 0 {
		p.report("spec.timeout", "must be positive, not %s", s.Timeout)
	}
	validateSandbox(s.Sandbox, s.Name, p)
	inCluster := s.Sandbox.InCluster()
	validateApps(s.Apps, inCluster, p)
	validateRestores(s.Restores, inCluster, p)
	validateWaitFor(s.Restores, s.Apps, s.Bootstrap != nil, p)
	validateChecks(s.Checks, s.Restores, p)
	validateEtcdChecks(s.Checks, s.Restores, p)
	validateClusterChecks(s.Checks, s.Apps, s.Bootstrap != nil, inCluster, p)
	validateCommandChecks(s.Checks, s.Restores, s.Sandbox, p)
	validateCNPGSandbox(s, p)
	validateTargetNamespaceSandbox(s, p)
	validateBootstrap(s.Bootstrap, s.Sandbox, p)
}

func validateSandbox(sb Sandbox, scenario string, p *problems) {
	kinds := []string{SandboxLocal, SandboxNamespace, SandboxKind, SandboxCluster}
	switch set := sb.kindsSet(); {
	case sb.Kind == "" && len(set) == 0:
		p.report("spec.sandbox", "set exactly one sandbox kind: local: {} (a PostgreSQL server on this machine), namespace: {} (a namespace in a cluster), kind: {} (a new kind cluster) or cluster: {} (an existing, empty cluster)")
	case len(set) > 1:
		p.report("spec.sandbox", "set one sandbox kind, not %s", andList(set))
	case !slices.Contains(kinds, sb.Kind):
		p.report("spec.sandbox", "unknown sandbox kind %q: the kinds are %s", sb.Kind, strings.Join(kinds, ", "))
	case !slices.Contains(set, sb.Kind):
		p.report("spec.sandbox."+sb.Kind, "is required for sandbox kind %s", sb.Kind)
	}
	if sb.Namespace != nil {
		validateNamespace(sb.Namespace, scenario, "spec.sandbox.namespace", p)
	}
	if sb.KindCluster != nil {
		validateKind(sb.KindCluster, "spec.sandbox.kind", p)
	}
}

// validateRestores checks each restore; inCluster says whether the sandbox
// is a namespace, where restores reach into the cluster.
func validateRestores(restores []Restore, inCluster bool, p *problems) {
	if len(restores) == 0 {
		p.report("spec.restores", "at least one restore is required: which backup should the drill restore?")
	}
	names := make(map[string]int)
	databases := make(map[string]int)
	for i, r := range restores {
		path := indexPath("spec.restores", i)
		checkUnique(names, r.Name, i, childPath(path, "name"), checkName(r.Name), "spec.restores", p)
		if r.Timeout < 0 {
			p.report(childPath(path, "timeout"), "must not be negative, not %s", r.Timeout)
		}
		if r.Job == nil || r.Source != (Source{}) {
			// A job fetches its backup itself; any other method reads source.
			validateSource(r.Source, childPath(path, "source"), p)
		}
		if r.Method() == "" {
			p.report(path, "set a restore method: postgres, barman, pgbackrest, cnpg, etcd or job")
		}
		if methods := countSet(r.Postgres != nil, r.Barman != nil, r.PgBackRest != nil, r.Job != nil, r.CNPG != nil, r.Etcd != nil); methods > 1 {
			p.report(path, "set one restore method, not %d", methods)
		}
		validateRestoreInSandbox(r, path, inCluster, p)
		if b := r.PgBackRest; b != nil {
			validatePgBackRest(b, r.Source, childPath(path, "pgbackrest"), p)
		}
		if b := r.Barman; b != nil {
			validateBarman(b, r.Source, childPath(path, "barman"), p)
		}
		if c := r.CNPG; c != nil {
			validateCNPG(c, r.Source, inCluster, childPath(path, "cnpg"), p)
		}
		if e := r.Etcd; e != nil {
			validateEtcd(e, childPath(path, "etcd"), p)
		}
		if pg := r.Postgres; pg != nil {
			pgPath := childPath(path, "postgres")
			// Databases share a server: the local sandbox's, or a target's.
			checkUniqueIn(databases, targetKey(pg.Target), pg.Database, i, childPath(pgPath, "database"), checkDatabase(pg.Database), "spec.restores", p)
			if pg.Jobs < 1 || pg.Jobs > 64 {
				p.report(childPath(pgPath, "jobs"), "must be between 1 and 64 (got %d)", pg.Jobs)
			}
			roles := make(map[string]int)
			for j, role := range pg.Roles {
				checkUnique(roles, role, j, indexPath(childPath(pgPath, "roles"), j), checkRole(role), childPath(pgPath, "roles"), p)
			}
		}
	}
}

// databaseRestores names, once each, the restores that give drill a
// database (any restore but a job's) and the job restores.
func databaseRestores(restores []Restore) (restoreNames, jobNames []string) {
	for _, r := range restores {
		switch {
		case r.Name == "" || slices.Contains(restoreNames, r.Name) || slices.Contains(jobNames, r.Name):
		case r.Method() == "job":
			jobNames = append(jobNames, r.Name)
		default:
			restoreNames = append(restoreNames, r.Name)
		}
	}
	return restoreNames, jobNames
}

func validateChecks(checks []Check, restores []Restore, p *problems) {
	// sql and rpo checks read a database: any restore but a job's.
	restoreNames, jobNames := databaseRestores(restores)
	names := make(map[string]int)
	for i, c := range checks {
		path := indexPath("spec.checks", i)
		checkUnique(names, c.Name, i, childPath(path, "name"), checkName(c.Name), "spec.checks", p)
		if c.Timeout <= 0 {
			p.report(childPath(path, "timeout"), "must be positive, not %s", c.Timeout)
		}
		switch kinds := checkKinds(c); {
		case len(kinds) > 1:
			p.report(path, "set one check kind, not %s: split it into %d checks", andList(kinds), len(kinds))
		case c.SQL != nil:
			validateSQLCheck(c.SQL, childPath(path, "sql"), restoreNames, jobNames, p)
		case c.RPO != nil:
			validateQueryTarget(c.RPO.Restore, c.RPO.Query, childPath(path, "rpo"), restoreNames, jobNames, p)
		case len(kinds) == 0:
			p.report(path, "set a check kind: sql (compare a query's result), rpo (the newest timestamp in the data), command (run a program), or in a namespace sandbox workload, argocd, http or exists")
		}
	}
}

func validateSQLCheck(c *SQLCheck, path string, restoreNames, jobNames []string, p *problems) {
	validateQueryTarget(c.Restore, c.Query, path, restoreNames, jobNames, p)
	switch {
	case c.Expect != "" && c.Rows != nil:
		p.report(path, "set expect or rows, not both")
	case c.Expect == "" && c.Rows == nil:
		p.report(path, `set expect (the value the query returns, e.g. ">= 1000") or rows (how many rows it returns)`)
	case c.Rows != nil && *c.Rows < 0:
		p.report(childPath(path, "rows"), "must not be negative (got %d)", *c.Rows)
	case c.Expect != "":
		if _, err := ParseExpect(c.Expect); err != nil {
			p.report(childPath(path, "expect"), "%v", err)
		}
	}
}

// validateQueryTarget checks what sql and rpo checks share: a query, and
// the name of a restore of this scenario to run it in, which a job restore
// is not: drill cannot reach what its container restored into.
func validateQueryTarget(restore, query, path string, restoreNames, jobNames []string, p *problems) {
	if restore == "" {
		p.report(childPath(path, "restore"), "is required: the name of the restore whose database the query reads")
	} else {
		validateDatabaseRestore(restore, path, restoreNames, jobNames, p)
	}
	if strings.TrimSpace(query) == "" {
		p.report(childPath(path, "query"), "is required: the SQL to run")
	}
}

// validateDatabaseRestore checks that a check's restore names a restore of
// this scenario that gives drill a database.
func validateDatabaseRestore(restore, path string, restoreNames, jobNames []string, p *problems) {
	switch {
	case slices.Contains(jobNames, restore):
		p.report(childPath(path, "restore"), "%s is a job restore, which gives drill no database to query: prove it with workload, http or exists checks, or name a postgres restore", quoteShort(restore))
	case !slices.Contains(restoreNames, restore):
		p.report(childPath(path, "restore"), "no restore is named %s: the restores are %s", quoteShort(restore), quotedList(restoreNames))
	}
}

// checkUnique reports a name's own problem (msg) or, for a valid name, that
// an earlier item of list already has it.
func checkUnique(seen map[string]int, name string, i int, path, msg, list string, p *problems) {
	if msg != "" {
		p.report(path, "%s", msg)
		return
	}
	if first, dup := seen[name]; dup {
		p.report(path, "%q is already used by %s: each must be unique", name, indexPath(list, first))
		return
	}
	seen[name] = i
}

// checkUniqueIn is checkUnique within one scope of names, such as the
// databases of one server.
func checkUniqueIn(seen map[string]int, scope, name string, i int, path, msg, list string, p *problems) {
	if msg != "" {
		p.report(path, "%s", msg)
		return
	}
	key := scope + "\x00" + name
	if first, dup := seen[key]; dup {
		p.report(path, "%q is already used by %s: each must be unique", name, indexPath(list, first))
		return
	}
	seen[key] = i
}

func quotedList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(quoted, ", ")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
