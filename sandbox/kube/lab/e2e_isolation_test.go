//go:build e2e

package lab_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	applicationpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/application"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
)

// Two labs started at the same moment on one machine get their own ports,
// directories and clusters; stopping one leaves no process of it and no
// bound port, and does not touch the other.
func TestTwoLabsAtOnceDoNotCollide(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: starts two labs, which -short leaves out")
	}
	bin := labtest.BinDir(t)
	var (
		wg   sync.WaitGroup
		labs [2]*lab.Lab
		errs [2]error
	)
	for i := range labs {
		dir, err := os.MkdirTemp("", "drill-lab-*")
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			labs[i], errs[i] = lab.Start(ctx, lab.Options{BinDir: bin, Dir: dir})
		}()
	}
	wg.Wait()
	for i, l := range labs {
		if l != nil {
			t.Cleanup(func() { _ = l.Stop(context.Background()) })
		}
		if errs[i] != nil {
			t.Fatalf("start lab %d: %v", i, errs[i])
		}
	}
	a, b := labs[0], labs[1]

	seen := map[int]bool{}
	for _, l := range labs {
		for _, p := range l.Env.Ports {
			if seen[p] {
				t.Fatalf("port %d used by both labs", p)
			}
			seen[p] = true
		}
	}
	if a.Env.ArgoCDServer == b.Env.ArgoCDServer || a.Env.GitRepo == b.Env.GitRepo {
		t.Fatalf("labs share Argo CD (%s) or git (%s)", a.Env.ArgoCDServer, a.Env.GitRepo)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	csA, csB := labtest.Kube(t, a.Env), labtest.Kube(t, b.Env)
	name := "only-in-a-" + rand.String(6)
	if _, err := csA.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create namespace in lab a: %v", err)
	}
	if _, err := csB.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("namespace made in lab a, in lab b: got %v, want not found", err)
	}

	if err := a.Stop(ctx); err != nil {
		t.Fatalf("stop lab a: %v", err)
	}
	assertGone(t, a)
	if _, err := csB.CoreV1().Namespaces().Get(ctx, "default", metav1.GetOptions{}); err != nil {
		t.Fatalf("lab b after lab a stopped: %v", err)
	}
	if _, err := labtest.Applications(t, b.Env).List(ctx, &applicationpkg.ApplicationQuery{}); err != nil {
		t.Fatalf("lab b's Argo CD after lab a stopped: %v", err)
	}
}

// A lab whose starter went away without stopping it (a killed test run) is
// found and stopped by its run mark, as make e2e does after every run.
func TestSweepStopsALabItsStarterLeft(t *testing.T) {
	run := "sweep-" + rand.String(8)
	t.Setenv(lab.RunEnv, run)
	l := labtest.StartOwn(t, lab.Options{WithoutArgoCD: true})
	if n := len(lab.Processes(lab.RunEnv, run)); n < 5 {
		t.Fatalf("%d processes carry the run mark, want at least 5 (etcd, apiserver, controller manager, scheduler, kwok)", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := lab.Sweep(ctx, run); err != nil {
		t.Fatalf("sweep: %v", err)
	}
	assertGone(t, l)
}

// assertGone fails unless no process of l lives and nothing listens on
// any of its ports. (A port may still be in use as the local end of some
// other program's outgoing connection: the kernel hands out freed ports.)
func assertGone(t *testing.T, l *lab.Lab) {
	t.Helper()
	if pids := lab.Processes(lab.DirEnv, l.Dir); len(pids) > 0 {
		t.Errorf("processes of the lab in %s still alive after stop: %v", l.Dir, pids)
	}
	listening := listeningPorts(t)
	for _, p := range l.Env.Ports {
		if listening[p] {
			t.Errorf("port %d of the stopped lab still has a listener", p)
		}
	}
}

// listeningPorts reads the TCP ports in LISTEN state from /proc/net.
func listeningPorts(t *testing.T) map[int]bool {
	t.Helper()
	ports := map[int]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fields := strings.Fields(line)
			if len(fields) < 4 || fields[3] != "0A" { // 0A: LISTEN
				continue
			}
			_, hexPort, _ := strings.Cut(fields[1], ":")
			if p, err := strconv.ParseInt(hexPort, 16, 32); err == nil {
				ports[int(p)] = true
			}
		}
	}
	if len(ports) == 0 {
		t.Fatal("no listening port found in /proc/net: cannot check the lab's ports")
	}
	return ports
}
