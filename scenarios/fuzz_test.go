package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadBytes checks that any input ends in exactly one of two ways,
// without panicking: a scenario that validates, or an *Error whose every
// problem has a message.
func FuzzLoadBytes(f *testing.F) {
	for _, pattern := range []string{"testdata/*.yaml", "examples/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("a: &a [*a]"))
	f.Add([]byte("apiVersion: restore-drill.io/v1alpha1\nkind: Scenario\nspec: &s {x: *s}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadBytes("fuzz.yaml", data)
		if err != nil {
			if s != nil {
				t.Fatalf("LoadBytes returned both a scenario and %v", err)
			}
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error is %T, want *Error: %v", err, err)
			}
			if len(e.Problems) == 0 {
				t.Fatalf("*Error lists no problem")
			}
			for _, p := range e.Problems {
				if strings.TrimSpace(p.Message) == "" {
					t.Fatalf("problem without a message: %+v", p)
				}
			}
			return
		}
		if s == nil {
			t.Fatal("LoadBytes returned neither a scenario nor an error")
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("loaded scenario does not validate: %v", err)
		}
	})
}
