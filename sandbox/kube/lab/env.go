package lab

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// EnvFile is the name of the env file in the lab's directory.
const EnvFile = "env"

// Env is how clients reach a lab; the env file holds it as shell
// assignments (export KEY='value'), so that `. .lab/env` works too. The file is
// readable by its owner only: it holds a token.
type Env struct {
	Dir             string // DRILL_LAB_DIR
	Kubeconfig      string // KUBECONFIG: admin, namespace default
	ArgoCDServer    string // ARGOCD_SERVER: host:port, plain text (no TLS)
	ArgoCDAuthToken string // ARGOCD_AUTH_TOKEN: the admin's session token
	GitRepo         string // DRILL_LAB_GIT_REPO: path of a bare git repository
	GitURL          string // DRILL_LAB_GIT_URL: the same as file://, as Argo CD reads it
	Ports           []int  // DRILL_LAB_PORTS: every port the lab listens on
	EtcdURL         string // DRILL_LAB_ETCD_URL: the lab's etcd (plain http, no auth), for snapshots
}

func (e Env) pairs() [][2]string {
	ports := make([]string, len(e.Ports))
	for i, p := range e.Ports {
		ports[i] = strconv.Itoa(p)
	}
	return [][2]string{
		{dirEnv, e.Dir},
		{"KUBECONFIG", e.Kubeconfig},
		{"ARGOCD_SERVER", e.ArgoCDServer},
		{"ARGOCD_AUTH_TOKEN", e.ArgoCDAuthToken},
		// The argocd command line reads its flags from here.
		{"ARGOCD_OPTS", "--plaintext"},
		{"DRILL_LAB_GIT_REPO", e.GitRepo},
		{"DRILL_LAB_GIT_URL", e.GitURL},
		{"DRILL_LAB_PORTS", strings.Join(ports, " ")},
		{"DRILL_LAB_ETCD_URL", e.EtcdURL},
	}
}

func (e Env) write(path string) error {
	var b strings.Builder
	for _, kv := range e.pairs() {
		if kv[1] == "" {
			continue
		}
		if strings.ContainsRune(kv[1], '\'') {
			return fmt.Errorf("write the lab env file: %s holds a quote", kv[0])
		}
		fmt.Fprintf(&b, "export %s='%s'\n", kv[0], kv[1])
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("write the lab env file: %w", err)
	}
	return nil
}

// ReadEnv reads an env file that Start wrote.
func ReadEnv(path string) (Env, error) {
	f, err := os.Open(path)
	if err != nil {
		return Env{}, fmt.Errorf("read the lab env file (is the lab up? make lab-up): %w", err)
	}
	defer f.Close()
	vals := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if !ok {
			continue
		}
		vals[k] = strings.Trim(v, "'")
	}
	if err := sc.Err(); err != nil {
		return Env{}, fmt.Errorf("read the lab env file %s: %w", path, err)
	}
	e := Env{
		Dir:             vals[dirEnv],
		Kubeconfig:      vals["KUBECONFIG"],
		ArgoCDServer:    vals["ARGOCD_SERVER"],
		ArgoCDAuthToken: vals["ARGOCD_AUTH_TOKEN"],
		GitRepo:         vals["DRILL_LAB_GIT_REPO"],
		GitURL:          vals["DRILL_LAB_GIT_URL"],
		EtcdURL:         vals["DRILL_LAB_ETCD_URL"],
	}
	for _, p := range strings.Fields(vals["DRILL_LAB_PORTS"]) {
		n, err := strconv.Atoi(p)
		if err != nil {
			return Env{}, fmt.Errorf("lab env file %s: port %q: %w", path, p, err)
		}
		e.Ports = append(e.Ports, n)
	}
	if e.EtcdURL == "" && len(e.Ports) > 0 {
		// A lab started before the file named it: etcd has the first port.
		e.EtcdURL = "http://127.0.0.1:" + strconv.Itoa(e.Ports[0])
	}
	if e.Kubeconfig == "" {
		return Env{}, errors.New("lab env file " + path + " names no KUBECONFIG: restart the lab (make lab-down lab-up)")
	}
	return e, nil
}
