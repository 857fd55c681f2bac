package lab

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestEnvFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), EnvFile)
	want := Env{
		Dir:             "/tmp/lab",
		Kubeconfig:      "/tmp/lab/kubeconfig",
		ArgoCDServer:    "127.0.0.1:40001",
		ArgoCDAuthToken: "token-value",
		GitRepo:         "/tmp/lab/git/apps.git",
		GitURL:          "file:///tmp/lab/git/apps.git",
		Ports:           []int{40001, 40002},
		EtcdURL:         "http://127.0.0.1:40003",
	}
	if err := want.write(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("env file mode %v, want 0600: it holds a token", fi.Mode().Perm())
	}
	got, err := ReadEnv(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %+v, want %+v", got, want)
	}
}

func TestReadEnvWithoutKubeconfigFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), EnvFile)
	if err := os.WriteFile(path, []byte("ARGOCD_SERVER='x'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadEnv(path); err == nil {
		t.Fatal("ReadEnv of a file without KUBECONFIG: no error")
	}
	if _, err := ReadEnv(filepath.Join(t.TempDir(), "absent")); err == nil {
		t.Fatal("ReadEnv of a missing file: no error")
	}
}

func TestReadEnvOfAnOlderLabFindsEtcd(t *testing.T) {
	path := filepath.Join(t.TempDir(), EnvFile)
	if err := os.WriteFile(path, []byte("export KUBECONFIG='/tmp/lab/kubeconfig'\nexport DRILL_LAB_PORTS='40001 40002'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env, err := ReadEnv(path)
	if err != nil {
		t.Fatal(err)
	}
	if env.EtcdURL != "http://127.0.0.1:40001" {
		t.Errorf("EtcdURL = %q, want the first port's", env.EtcdURL)
	}
}
