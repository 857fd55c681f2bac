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
	for _, k := range sortedKeys(s.Labels) {
		if msg := checkLabelKey(k); msg != "" {
			p.report(keyPath("metadata.labels", k), "%s", msg)
		}
		if msg := checkLabelValue(s.Labels[k]); msg != "" {
			p.report(keyPath("metadata.labels", k), "%s", msg)
		}
	}
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
	validateSandbox(s.Sandbox, p)
	validateRestores(s.Restores, p)
	validateChecks(s.Checks, s.Restores, p)
}

func validateSandbox(sb Sandbox, p *problems) {
	switch {
	case sb.Kind == "" && sb.Local == nil:
		p.report("spec.sandbox", "set exactly one sandbox kind: local: {}")
	case sb.Kind != SandboxLocal:
		p.report("spec.sandbox", "unknown sandbox kind %q: the kinds are %s", sb.Kind, SandboxLocal)
	case sb.Local == nil:
		p.report("spec.sandbox.local", "is required for sandbox kind %s", SandboxLocal)
	}
}

func validateRestores(restores []Restore, p *problems) {
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
		validateSource(r.Source, childPath(path, "source"), p)
		if r.Method() == "" {
			p.report(path, "set a restore method: postgres, barman or pgbackrest")
		}
		if methods := countSet(r.Postgres != nil, r.Barman != nil, r.PgBackRest != nil); methods > 1 {
			p.report(path, "set one restore method, not %d", methods)
		}
		if b := r.PgBackRest; b != nil {
			validatePgBackRest(b, r.Source, childPath(path, "pgbackrest"), p)
		}
		if b := r.Barman; b != nil {
			validateBarman(b, r.Source, childPath(path, "barman"), p)
		}
		if pg := r.Postgres; pg != nil {
			pgPath := childPath(path, "postgres")
			checkUnique(databases, pg.Database, i, childPath(pgPath, "database"), checkDatabase(pg.Database), "spec.restores", p)
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

func validateChecks(checks []Check, restores []Restore, p *problems) {
	var restoreNames []string
	for _, r := range restores {
		if r.Name != "" && !slices.Contains(restoreNames, r.Name) {
			restoreNames = append(restoreNames, r.Name)
		}
	}
	names := make(map[string]int)
	for i, c := range checks {
		path := indexPath("spec.checks", i)
		checkUnique(names, c.Name, i, childPath(path, "name"), checkName(c.Name), "spec.checks", p)
		if c.Timeout <= 0 {
			p.report(childPath(path, "timeout"), "must be positive, not %s", c.Timeout)
		}
		switch {
		case c.SQL != nil && c.RPO != nil:
			p.report(path, "set one check kind, not both sql and rpo: split it into two checks")
		case c.SQL != nil:
			validateSQLCheck(c.SQL, childPath(path, "sql"), restoreNames, p)
		case c.RPO != nil:
			validateQueryTarget(c.RPO.Restore, c.RPO.Query, childPath(path, "rpo"), restoreNames, p)
		default:
			p.report(path, "set a check kind: sql (compare a query's result) or rpo (the newest timestamp in the data)")
		}
	}
}

func validateSQLCheck(c *SQLCheck, path string, restoreNames []string, p *problems) {
	validateQueryTarget(c.Restore, c.Query, path, restoreNames, p)
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
// the name of a restore of this scenario to run it in.
func validateQueryTarget(restore, query, path string, restoreNames []string, p *problems) {
	switch {
	case restore == "":
		p.report(childPath(path, "restore"), "is required: the name of the restore whose database the query reads")
	case !slices.Contains(restoreNames, restore):
		p.report(childPath(path, "restore"), "no restore is named %s: the restores are %s", quoteShort(restore), quotedList(restoreNames))
	}
	if strings.TrimSpace(query) == "" {
		p.report(childPath(path, "query"), "is required: the SQL to run")
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
