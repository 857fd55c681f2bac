package kind

import (
	"bytes"
	"testing"
)

// kind's status lines and warnings reach the run's progress; its debug
// levels do not.
func TestProgressLogger(t *testing.T) {
	var buf bytes.Buffer
	l := progressLogger{&buf}
	l.V(0).Infof(" • %s  ...\n", "Ensuring node image (kindest/node:v1.31.14) 🖼")
	l.V(0).Infof(" ✓ %s\n", "Ensuring node image (kindest/node:v1.31.14) 🖼")
	l.V(1).Info("debug detail")
	l.Warnf("cluster name %q is probably too long", "x")
	want := "kind: • Ensuring node image (kindest/node:v1.31.14) 🖼\n" +
		"kind: ✓ Ensuring node image (kindest/node:v1.31.14) 🖼\n" +
		"kind: warning: cluster name \"x\" is probably too long\n"
	if buf.String() != want {
		t.Errorf("progress =\n%s\nwant\n%s", buf.String(), want)
	}
	if l.V(1).Enabled() || !l.V(0).Enabled() {
		t.Error("V(0) must be enabled and V(1) not")
	}
}
