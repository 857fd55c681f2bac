package scenarios

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// validateRestoreInSandbox checks what a restore may do in the scenario's
// sandbox: barman and pgbackrest recover into a server of their own on
// this machine; a job runs in a cluster; a postgres restore into a cluster
// needs a target there.
func validateRestoreInSandbox(r Restore, path string, inCluster bool, p *problems) {
	if inCluster {
		if r.Barman != nil {
			p.report(childPath(path, "barman"), "recovers into the local sandbox only: use sandbox local, or a job restore in a namespace sandbox")
		}
		if r.PgBackRest != nil {
			p.report(childPath(path, "pgbackrest"), "recovers into the local sandbox only: use sandbox local, or a job restore in a namespace sandbox")
		}
	} else if r.Job != nil {
		p.report(childPath(path, "job"), "runs a Kubernetes Job: only in a namespace sandbox")
	}
	if pg := r.Postgres; pg != nil {
		targetPath := childPath(path, "postgres.target")
		switch {
		case inCluster && pg.Target == nil:
			p.report(targetPath, "is required in a namespace sandbox: the PostgreSQL server there to restore into (service, selector or address)")
		case !inCluster && pg.Target != nil:
			p.report(targetPath, "is for a namespace sandbox: the local sandbox restores into a server of its own; remove target")
		case pg.Target != nil:
			validateTarget(pg.Target, targetPath, p)
		}
	}
	if j := r.Job; j != nil {
		validateJob(j, childPath(path, "job"), p)
	}
}

// targetKey identifies the server a postgres restore writes into: "" for
// the local sandbox's own.
func targetKey(t *PostgresTarget) string {
	if t == nil {
		return ""
	}
	keys := make([]string, 0, len(t.Selector))
	for k, v := range t.Selector {
		keys = append(keys, k+"="+v)
	}
	sort.Strings(keys)
	ns := t.Namespace
	if t.Address != "" {
		ns = "" // an address is one server whatever namespace its secret is in
	}
	return fmt.Sprintf("%s|%s|%s|%s|%d", ns, t.Service, strings.Join(keys, ","), t.Address, t.Port)
}

func validateTarget(t *PostgresTarget, path string, p *problems) {
	switch n := countSet(t.Service != "", len(t.Selector) > 0, t.Address != ""); {
	case n == 0:
		p.report(path, "set service (a Service in the sandbox), selector (the labels of a pod there) or address (host:port reached directly)")
	case n > 1:
		p.report(path, "set one of service, selector and address, not %d", n)
	}
	if t.Service != "" {
		if msg := checkServiceName(t.Service); msg != "" {
			p.report(childPath(path, "service"), "%s", msg)
		}
	}
	checkLabels(t.Selector, childPath(path, "selector"), p)
	if t.Address != "" {
		if msg := checkHostPort(t.Address); msg != "" {
			p.report(childPath(path, "address"), "%s", msg)
		}
		if t.Port != 0 {
			p.report(childPath(path, "port"), "address carries the port: remove port, or write it into address")
		}
	} else if msg := checkPort(t.Port); msg != "" {
		p.report(childPath(path, "port"), "%s", msg)
	}
	if t.Secret != "" {
		if msg := checkObjectName(t.Secret); msg != "" {
			p.report(childPath(path, "secret"), "%s", msg)
		}
		for _, env := range []struct{ field, value string }{{"userEnv", t.UserEnv}, {"passwordEnv", t.PasswordEnv}} {
			if env.value != "" {
				p.report(childPath(path, env.field), "set secret or %s, not both: the credentials come from one place", env.field)
			}
		}
	}
	for _, key := range []struct{ field, value string }{{"userKey", t.UserKey}, {"passwordKey", t.PasswordKey}} {
		if msg := checkSecretKey(key.value); msg != "" {
			p.report(childPath(path, key.field), "%s", msg)
		}
	}
	for _, env := range []struct{ field, value string }{{"userEnv", t.UserEnv}, {"passwordEnv", t.PasswordEnv}} {
		if env.value != "" {
			if msg := checkEnvName(env.value); msg != "" {
				p.report(childPath(path, env.field), "%s", msg)
			}
		}
	}
	validateTargetNamespace(t, path, p)
	if strings.TrimSpace(t.User) == "" {
		p.report(childPath(path, "user"), "is required: the user to connect as")
	}
	if t.ReadyTimeout <= 0 {
		p.report(childPath(path, "readyTimeout"), "must be positive, not %s", t.ReadyTimeout)
	}
}

func validateJob(j *JobRestore, path string, p *problems) {
	if strings.TrimSpace(j.Image) == "" || strings.ContainsAny(j.Image, " \t\n") {
		p.report(childPath(path, "image"), "is required: the container image that restores, e.g. registry.example.com/tools/restore:1.4")
	}
	// Each variable is set once, by env or by secretEnv.
	seen := make(map[string]string)
	for _, name := range sortedKeys(j.Env) {
		field := keyPath(childPath(path, "env"), name)
		if msg := checkContainerEnvName(name); msg != "" {
			p.report(field, "%s", msg)
		}
		seen[name] = field
	}
	for i, e := range j.SecretEnv {
		item := indexPath(childPath(path, "secretEnv"), i)
		switch msg := checkContainerEnvName(e.Name); {
		case e.Name == "":
			p.report(childPath(item, "name"), "is required: the environment variable's name")
		case msg != "":
			p.report(childPath(item, "name"), "%s", msg)
		case seen[e.Name] != "":
			p.report(childPath(item, "name"), "%q is already set by %s: set each variable once", e.Name, seen[e.Name])
		default:
			seen[e.Name] = item
		}
		switch msg := checkObjectName(e.Secret); {
		case e.Secret == "":
			p.report(childPath(item, "secret"), "is required: the name of a Secret in the sandbox")
		case msg != "":
			p.report(childPath(item, "secret"), "%s", msg)
		}
		switch msg := checkSecretKey(e.Key); {
		case e.Key == "":
			p.report(childPath(item, "key"), "is required: the key in the Secret")
		case msg != "":
			p.report(childPath(item, "key"), "%s", msg)
		}
	}
	if j.ServiceAccount != "" {
		if msg := checkObjectName(j.ServiceAccount); msg != "" {
			p.report(childPath(path, "serviceAccount"), "%s", msg)
		}
	}
	if j.BackoffLimit < 0 {
		p.report(childPath(path, "backoffLimit"), "must not be negative (got %d)", j.BackoffLimit)
	}
}

// validateWaitFor checks that every restore waits only for apps of the
// scenario, each once. With a bootstrap, the root's children are known only
// at run time: any app name is taken, and the run fails a restore that
// waits for an app the root did not create.
func validateWaitFor(restores []Restore, apps []App, bootstrap bool, p *problems) {
	var appNames []string
	for _, a := range apps {
		appNames = append(appNames, a.Name)
	}
	for i, r := range restores {
		path := childPath(indexPath("spec.restores", i), "waitFor")
		seen := make(map[string]int)
		for j, name := range r.WaitFor {
			field := indexPath(path, j)
			switch first, dup := seen[name]; {
			case dup:
				p.report(field, "%q is already listed at %s", name, indexPath(path, first))
			case bootstrap && !slices.Contains(appNames, name) && checkName(name) != "":
				p.report(field, "%s is not an app's name: %s", quoteShort(name), checkName(name))
			case !bootstrap && !slices.Contains(appNames, name):
				p.report(field, "no app is named %s: the apps are %s", quoteShort(name), quotedList(appNames))
			default:
				seen[name] = j
			}
		}
	}
}
