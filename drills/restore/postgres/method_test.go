package postgres

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/scenarios"
)

func TestInspection(t *testing.T) {
	tests := []struct {
		name     string
		d        detected
		jobs     int
		wantJobs int
		notes    []string
	}{
		{name: "custom, jobs default to 1", d: detected{format: FormatCustom}, wantJobs: 1},
		{name: "custom, four jobs", d: detected{format: FormatCustom}, jobs: 4, wantJobs: 4},
		{name: "directory, two jobs", d: detected{format: FormatDirectory}, jobs: 2, wantJobs: 2},
		{name: "tar, one job and why", d: detected{format: FormatTar}, jobs: 4, wantJobs: 1, notes: []string{"tar archives restore with one job"}},
		{name: "plain, jobs do not apply", d: detected{format: FormatPlain}, jobs: 3, wantJobs: 1, notes: []string{"jobs: 3 does not apply"}},
		{name: "plain, one job is no news", d: detected{format: FormatPlainGzip}, jobs: 1, wantJobs: 1},
		{
			name:     "a format newer than known",
			d:        detected{format: FormatCustom, header: &archiveHeader{version: archiveVersion{1, 17, 0}, unknown: true}},
			wantJobs: 1,
			notes:    []string{"archive format 1.17 is newer than this drill knows"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New("billing", &scenarios.PostgresRestore{Jobs: tt.jobs}).(*method)
			insp := m.inspection(tt.d)
			if insp.Format != tt.d.format || insp.Jobs != tt.wantJobs {
				t.Errorf("format %s, jobs %d; want %s, %d", insp.Format, insp.Jobs, tt.d.format, tt.wantJobs)
			}
			if len(insp.Notes) != len(tt.notes) {
				t.Fatalf("notes = %q, want %d", insp.Notes, len(tt.notes))
			}
			for i, n := range tt.notes {
				if !strings.Contains(insp.Notes[i], n) {
					t.Errorf("note %q should say %q", insp.Notes[i], n)
				}
			}
		})
	}
}

func TestInspectReadsTheArchive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.dump")
	h := fakeHeader{vmaj: 1, vmin: 14, format: codeCustom, dumpedFrom: "14.9", dumpedBy: "15.18"}
	if err := os.WriteFile(path, h.bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	m := New("billing", &scenarios.PostgresRestore{Jobs: 2})
	insp, err := m.Inspect(context.Background(), &source.Artifact{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if insp.Format != FormatCustom || insp.DumpedBy != "15.18" || insp.DumpedFrom != "14.9" || insp.Jobs != 2 {
		t.Errorf("Inspect = %+v", insp)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Inspect(ctx, &source.Artifact{Path: path}); !errors.Is(err, context.Canceled) {
		t.Errorf("Inspect with a cancelled context: err = %v", err)
	}
}
