package ci_test

import (
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"

	"github.com/restore-drill/drill/scenarios"
)

const (
	cnpgScenario = "kind/cnpg-recovery.yaml"
	cnpgScript   = "kind/cnpg-drill.sh"
	cnpgJob      = "cnpg-recovery"
)

// objectsByKind reads the manifests of a file by "Kind/name".
func objectsByKind(t *testing.T, path string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, doc := range yamlDocs(t, path) {
		kind, _ := doc["kind"].(string)
		meta, _ := doc["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		out[kind+"/"+name] = doc
	}
	return out
}

// field reads a nested field of an object, by keys and list indexes.
func field(t *testing.T, obj any, path ...any) any {
	t.Helper()
	v := obj
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("no field %v: %v is not an object", path, v)
			}
			v = m[p]
		case int:
			l, ok := v.([]any)
			if !ok || p >= len(l) {
				t.Fatalf("no field %v: %v is not a list that long", path, v)
			}
			v = l[p]
		}
	}
	return v
}

// The CloudNativePG job's manifests are what CloudNativePG v1.27.1's CRDs
// accept, with no field the API server would drop.
func TestCNPGManifestsMatchTheCRDs(t *testing.T) {
	crds := loadCRDs(t, cnpgCRDs)
	for _, f := range []string{"kind/cnpg/source-cluster.yaml", "kind/cnpg/backup.yaml"} {
		for name, obj := range objectsByKind(t, f) {
			if !strings.HasPrefix(obj["apiVersion"].(string), "postgresql.cnpg.io/") {
				continue
			}
			s, ok := crds[obj["apiVersion"].(string)+", "+obj["kind"].(string)]
			if !ok {
				t.Errorf("%s: %s: no CRD for %s", f, name, obj["apiVersion"])
				continue
			}
			checkAgainstCRD(t, f+": "+name, obj, s)
		}
	}
}

// The scenario, the store, the source Cluster and the script agree: drill
// reads the bucket and prefix the Cluster archives to, at the URL of the
// store's Service, the server named as the Cluster, with the image it runs,
// and the checks count the rows the script writes.
func TestCNPGScenarioMatchesTheSource(t *testing.T) {
	sc, err := scenarios.Load(cnpgScenario)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Sandbox.Namespace == nil || sc.Sandbox.Namespace.Isolate || len(sc.Restores) != 1 || sc.Restores[0].CNPG == nil {
		t.Fatalf("%s: want one cnpg restore in a namespace sandbox without isolation", cnpgScenario)
	}
	r := sc.Restores[0]
	s3 := r.Source.S3

	store := objectsByKind(t, "kind/cnpg/object-store.yaml")
	svc := store["Service/minio"]
	port := field(t, svc, "spec", "ports", 0, "port").(float64)
	host := "minio." + field(t, svc, "metadata", "namespace").(string) + ".svc.cluster.local:" + strconv.Itoa(int(port))
	if u, err := url.Parse(s3.Endpoint); err != nil || u.Host != host {
		t.Errorf("the scenario's endpoint %s is not the store's Service %s", s3.Endpoint, host)
	}
	mb := field(t, store["Job/make-bucket"], "spec", "template", "spec", "containers", 0, "args").([]any)
	if got := mb[len(mb)-1]; got != "store/"+s3.Bucket {
		t.Errorf("the bucket Job makes %v, the scenario reads bucket %s", got, s3.Bucket)
	}

	source := objectsByKind(t, "kind/cnpg/source-cluster.yaml")["Cluster/billing-db"]
	if source == nil {
		t.Fatal("kind/cnpg/source-cluster.yaml has no Cluster billing-db")
	}
	bos := field(t, source, "spec", "backup", "barmanObjectStore")
	if got, want := field(t, bos, "destinationPath"), "s3://"+s3.Bucket+"/"+strings.Trim(s3.Prefix, "/"); got != want {
		t.Errorf("the source Cluster archives to %v, the scenario reads %s", got, want)
	}
	if got := field(t, bos, "endpointURL"); got != s3.Endpoint {
		t.Errorf("the source Cluster's endpointURL %v is not the scenario's %s", got, s3.Endpoint)
	}
	if r.CNPG.ServerName != "billing-db" {
		t.Errorf("serverName %s, want the source Cluster's name billing-db", r.CNPG.ServerName)
	}
	if got := field(t, source, "spec", "imageName"); got != r.CNPG.ImageName {
		t.Errorf("the recovery runs %s, the source Cluster %v: a physical backup needs the same major version", r.CNPG.ImageName, got)
	}

	script, err := os.ReadFile(cnpgScript)
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range []string{s3.Credentials.AccessKeyIDEnv, s3.Credentials.SecretAccessKeyEnv} {
		if env == "" || !strings.Contains(string(script), env+"=") {
			t.Errorf("%s does not give drill the store's keys in %q", cnpgScript, env)
		}
	}
	// Each sql check counts one phase's rows: the script must write that
	// many rows of that phase.
	count := regexp.MustCompile(`phase = '([a-z-]+)'`)
	for _, c := range sc.Checks {
		if c.SQL == nil {
			continue
		}
		m := count.FindStringSubmatch(c.SQL.Query)
		if m == nil {
			t.Errorf("check %s does not count one phase's rows", c.Name)
			continue
		}
		want := "select '" + m[1] + "', (random() * 1000)::numeric(10,2) from generate_series(1, " + c.SQL.Expect + ")"
		if !strings.Contains(string(script), want) {
			t.Errorf("check %s expects %s rows of %s; %s does not write them (%q)", c.Name, c.SQL.Expect, m[1], cnpgScript, want)
		}
	}
	if !strings.Contains(string(script), "https://github.com/cloudnative-pg/cloudnative-pg/releases/download/v1.27.1/cnpg-1.27.1.yaml") {
		t.Errorf("%s does not install CloudNativePG 1.27.1's release manifest", cnpgScript)
	}
}

// jobScriptSteps reads the kind workflow's job: the arguments of each step
// that runs script (with " if COND" for a conditional step), and whether
// it always uploads its results.
func jobScriptSteps(t *testing.T, jobID, script string) (steps []string, uploads bool) {
	t.Helper()
	data, err := os.ReadFile(kindWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	wf, errs := actionlint.Parse(data)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", kindWorkflow, errs)
	}
	job := wf.Jobs[jobID]
	if job == nil {
		t.Fatalf("%s has no job %s", kindWorkflow, jobID)
	}
	for _, s := range job.Steps {
		switch e := s.Exec.(type) {
		case *actionlint.ExecRun:
			if rest, ok := strings.CutPrefix(strings.TrimSpace(e.Run.Value), script+" "); ok {
				if s.If != nil {
					rest += " if " + s.If.Value
				}
				steps = append(steps, rest)
			}
		case *actionlint.ExecAction:
			if strings.HasPrefix(e.Uses.Value, "actions/upload-artifact@") && s.If != nil && s.If.Value == "always()" {
				uploads = true
			}
		}
	}
	return steps, uploads
}

// The workflow's job runs the script's steps, in the order `all` runs them
// on a developer's machine, then its diagnostics on failure, uploads the
// results and always deletes the cluster.
func TestCNPGJobRunsTheScript(t *testing.T) {
	steps, uploads := jobScriptSteps(t, cnpgJob, "ci/"+cnpgScript)
	script, err := os.ReadFile(cnpgScript)
	if err != nil {
		t.Fatal(err)
	}
	all := regexp.MustCompile(`for s in ([a-z ]+); do`).FindSubmatch(script)
	if all == nil {
		t.Fatalf("%s has no `all` loop", cnpgScript)
	}
	want := append(strings.Fields(string(all[1])), "diagnostics if failure()", "down if always()")
	if !slices.Equal(steps, want) {
		t.Errorf("the job runs the script's steps %q, want %q", steps, want)
	}
	if !uploads {
		t.Errorf("the job does not always upload its results")
	}
}

// The script passes shellcheck (installed by ci/install-deps.sh) and says
// how to use it when called wrongly.
func TestCNPGScript(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck is not installed")
	}
	if out, err := exec.Command(sc, cnpgScript).CombinedOutput(); err != nil {
		t.Errorf("shellcheck %s: %v\n%s", cnpgScript, err, out)
	}
	out, err := exec.Command("bash", cnpgScript, "nonsense").CombinedOutput()
	if code := exitCode(err); code != 2 || !strings.Contains(string(out), "usage:") {
		t.Errorf("%s nonsense: exit %d, %s; want exit 2 and the usage", cnpgScript, code, out)
	}
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
