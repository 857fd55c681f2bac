package local

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox"
)

// helperEnv, when set, makes TestHelperCreateAndHang act as a drill that
// creates a sandbox and then is killed; its value is the temp dir to use.
const helperEnv = "DRILL_LOCAL_TEST_HELPER_TEMPDIR"

// TestHelperCreateAndHang is not a test on its own: it is the process that
// TestKilledDrillLeavesNoServer kills.
func TestHelperCreateAndHang(t *testing.T) {
	parent := os.Getenv(helperEnv)
	if parent == "" {
		t.Skip("skipping: helper process for TestKilledDrillLeavesNoServer")
	}
	sb, err := NewProvider(Options{TempDir: parent}).Create(context.Background(), sandbox.Options{RunID: "killed"})
	if err != nil {
		fmt.Printf("error %v\n", err)
		return
	}
	ls := sb.(*localSandbox)
	fmt.Printf("started %d %s\n", ls.server.pid(), ls.dir)
	select {} // wait to be killed
}

func TestKilledDrillLeavesNoServer(t *testing.T) {
	_, parent := realProvider(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	helper := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperCreateAndHang$", "-test.v")
	helper.Env = append(os.Environ(), helperEnv+"="+parent)
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	defer helper.Wait()
	defer helper.Process.Kill()

	var pid int
	var dir string
	for sc := bufio.NewScanner(out); sc.Scan(); {
		f := strings.Fields(sc.Text())
		if len(f) > 0 && f[0] == "error" {
			t.Fatalf("helper: %s", sc.Text())
		}
		if len(f) == 3 && f[0] == "started" {
			pid, _ = strconv.Atoi(f[1])
			dir = f[2]
			break
		}
	}
	if pid == 0 {
		t.Fatal("the helper never reported a started server")
	}
	if !processAlive(t, pid) {
		t.Fatalf("server %d is not running before the helper is killed", pid)
	}

	if err := helper.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(stopGrace)
	for processAlive(t, pid) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if processAlive(t, pid) {
		t.Errorf("server %d still runs %v after its drill was killed", pid, stopGrace)
	}
	helper.Wait()

	// The directory stays, marked, for a sweep to find and remove.
	found, err := FindLeftovers(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].Dir != dir || found[0].Marker.RunID != "killed" || found[0].ServerPID != 0 {
		t.Fatalf("FindLeftovers = %+v, want %s of run killed, with no server", found, dir)
	}
	if err := RemoveLeftover(ctx, found[0]); err != nil {
		t.Fatalf("RemoveLeftover: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists after RemoveLeftover (stat: %v)", dir, err)
	}
}
