package ci_test

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/restore-drill/drill/cmd/drill/app"
)

// TestActionUsesFlagsDrillHas: every "drill COMMAND ... --flag" in the
// action must name a command and flags this drill has, so that renaming a
// flag breaks this test and not the next scheduled drill.
func TestActionUsesFlagsDrillHas(t *testing.T) {
	raw, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`(?m)^\s*(?:"\$bin/drill"|drill) ([a-z]+)\b(.*)$`)
	flag := regexp.MustCompile(`(?:^|\s)(--[a-z][a-z-]*|-[a-z])\b`)
	calls := call.FindAllSubmatch(raw, -1)
	if len(calls) < 3 {
		t.Fatalf("found %d drill calls in %s, want run, report and the exercise report", len(calls), actionFile)
	}
	help := map[string]string{}
	for _, c := range calls {
		command := string(c[1])
		if _, ok := help[command]; !ok {
			var out, errOut bytes.Buffer
			err := app.Run(context.Background(), []string{command, "--help"}, app.Streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
			if err != nil {
				t.Errorf("drill %s --help: %v (is %q a drill command?)", command, err, command)
			}
			help[command] = out.String() + errOut.String()
		}
		for _, f := range flag.FindAllSubmatch(c[2], -1) {
			name := string(f[1])
			if name == "--help" {
				continue
			}
			if !regexp.MustCompile(`(?m)^\s+(-[a-z], )?`+regexp.QuoteMeta(name)+`\b`).MatchString(help[command]) &&
				!regexp.MustCompile(`(?m)^\s+`+regexp.QuoteMeta(name)+`, `).MatchString(help[command]) {
				t.Errorf("the action calls drill %s %s, which drill %s does not have", command, name, command)
			}
		}
	}
}
