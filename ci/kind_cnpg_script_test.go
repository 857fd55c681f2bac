package ci_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeCNPGKubectl plays the cluster for cnpg-drill.sh: it logs its arguments,
// keeps the Secrets applied through stdin, answers the reads of the store's
// keys, the primary's name and the WAL queries, and runs a port-forward
// that lasts until it is killed (its PID in port-forward.pid).
const fakeCNPGKubectl = `#!/usr/bin/env bash
args="$*"
printf '%s\n' "$args" >>"$FAKE_DIR/kubectl.log"
secret="$FAKE_DIR/secret-drill-store-store-root"
case "$args" in
*" apply -f -"*)
	in=$(cat)
	if grep -q '^kind: Secret' <<<"$in"; then
		name=$(sed -n 's/^  name: //p' <<<"$in" | head -1)
		ns=$(sed -n 's/^  namespace: //p' <<<"$in" | head -1)
		printf '%s\n' "$in" >"$FAKE_DIR/secret-$ns-$name"
	fi
	;;
*"get secret store-root -o jsonpath={.data."*)
	[ -f "$secret" ] || exit 1
	key=${args##*jsonpath=\{.data.}
	key=${key%\}}
	sed -n "s/^  $key: \"\(.*\)\"$/\1/p" "$secret" | tr -d '\n' | base64
	;;
*"get secret store-root"*) [ -f "$secret" ] || exit 1 ;;
*"jsonpath={.status.currentPrimary}"*) printf billing-db-1 ;;
*pg_switch_wal*) echo 000000010000000000000005 ;;
*pg_stat_archiver*) echo t ;;
*" port-forward "*)
	echo $$ >"$FAKE_DIR/port-forward.pid"
	exec sleep 120
	;;
esac
exit 0
`

// fakeCNPGDrill records the keys it was given and its arguments.
const fakeCNPGDrill = `#!/usr/bin/env bash
printf 'id=%s\nkey=%s\nargs=%s\n' "${DRILL_STORE_KEY_ID:-}" "${DRILL_STORE_SECRET:-}" "$*" >"$FAKE_DIR/drill.env"
`

// The script's store, source, backup and drill steps against a fake
// kubectl: the keys are made once, reach MinIO's Secret, the source
// Cluster's Secret and drill's environment, and never a command line or
// the output (except GitHub's ::add-mask::); /etc/hosts gets its line once;
// the port-forward is stopped with the step.
func TestCNPGScriptKeepsTheKeysSecret(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the script's steps, about 10 s: not with -short")
	}
	for _, tool := range []string{"bash", "openssl", "base64", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"kubectl": fakeCNPGKubectl, "drill": fakeCNPGDrill, "curl": "#!/bin/sh\nexit 0\n"} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hosts := filepath.Join(dir, "hosts")
	if err := os.WriteFile(hosts, []byte("127.0.0.1 localhost\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FAKE_DIR="+dir, "HOSTS="+hosts, "DRILL="+filepath.Join(bin, "drill"),
		"RESULTS="+filepath.Join(dir, "results"), "GITHUB_ACTIONS=true")
	var output strings.Builder
	for _, step := range []string{"store", "store", "source", "backup", "drill", "drill"} {
		cmd := exec.Command("bash", cnpgScript, step)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		output.Write(out)
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", cnpgScript, step, err, out)
		}
		stopped(t, filepath.Join(dir, "port-forward.pid"))
	}

	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	keyOf := func(secret, field string) string {
		m := regexp.MustCompile(`(?m)^  ` + field + `: "([^"]*)"$`).FindStringSubmatch(secret)
		if m == nil {
			t.Fatalf("no %s in the Secret:\n%s", field, secret)
		}
		return m[1]
	}
	root := read("secret-drill-store-store-root")
	id, key := keyOf(root, "ACCESS_KEY_ID"), keyOf(root, "ACCESS_SECRET_KEY")
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(key) || len(id) < 8 {
		t.Fatalf("keys %q and a secret of %d characters: want random hex", id, len(key))
	}
	src := read("secret-billing-prod-store-credentials")
	if keyOf(src, "ACCESS_KEY_ID") != id || keyOf(src, "ACCESS_SECRET_KEY") != key {
		t.Errorf("the source Cluster's Secret does not hold MinIO's keys")
	}
	if d := read("drill.env"); !strings.Contains(d, "id="+id+"\n") || !strings.Contains(d, "key="+key+"\n") ||
		!strings.Contains(d, "--context kind-drill-cnpg") || !strings.HasSuffix(strings.TrimSpace(d), "ci/kind/cnpg-recovery.yaml") {
		t.Errorf("drill did not get the store's keys, the kind context and the scenario:\n%s", d)
	}
	if strings.Contains(read("kubectl.log"), key) {
		t.Errorf("the store's secret key was on a kubectl command line")
	}
	sc := bufio.NewScanner(strings.NewReader(output.String()))
	for sc.Scan() {
		if strings.Contains(sc.Text(), key) && sc.Text() != "::add-mask::"+key {
			t.Errorf("the store's secret key was printed: %q", sc.Text())
		}
	}
	if n := strings.Count(read("hosts"), "127.0.0.1 minio.drill-store.svc.cluster.local\n"); n != 1 {
		t.Errorf("the hosts file has the store's line %d times, want once:\n%s", n, read("hosts"))
	}
}

// stopped fails the test if the process whose PID the file holds still
// runs a moment after its step ended, and then stops it.
func stopped(t *testing.T, pidFile string) {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return // this step started no port-forward
	}
	defer os.Remove(pidFile)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if syscall.Kill(pid, 0) != nil {
			return
		}
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	t.Errorf("the port-forward (pid %d) still ran after its step", pid)
}
