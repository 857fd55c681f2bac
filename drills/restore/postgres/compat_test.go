package postgres

import (
	"strings"
	"testing"
)

func TestCompatible(t *testing.T) {
	header := func(minor int) *archiveHeader {
		return &archiveHeader{version: archiveVersion{1, minor, 0}, unknown: minor > 16}
	}
	pg15 := sandboxVersions{tool: "pg_restore", toolVersion: "15.18 (Debian 15.18-0+deb12u1)", server: "15.18"}
	tests := []struct {
		name   string
		d      detected
		sb     sandboxVersions
		errHas []string // empty: compatible
	}{
		{name: "same major", d: detected{dumpedBy: "15.18", header: header(14)}, sb: pg15},
		{name: "older pg_dump", d: detected{dumpedBy: "12.3", header: header(14)}, sb: pg15},
		{name: "plain SQL without versions", d: detected{format: FormatPlain}, sb: pg15},
		{
			name:   "pg_dump 17 into 15",
			d:      detected{dumpedBy: "17.2 (Debian 17.2-1)", header: header(16)},
			sb:     pg15,
			errHas: []string{"archive was made by pg_dump 17.2; this sandbox's PostgreSQL is 15.18: install PostgreSQL 17 or newer (apt-get install postgresql-17) or set spec.sandbox.local.binDir"},
		},
		{
			name:   "plain SQL by pg_dump 16 into a 15 server",
			d:      detected{format: FormatPlain, dumpedBy: "16.1"},
			sb:     sandboxVersions{tool: "psql", toolVersion: "16.1", server: "15.18"},
			errHas: []string{"pg_dump 16.1", "PostgreSQL is 15.18", "postgresql-16"},
		},
		{
			name:   "new server, old pg_restore",
			d:      detected{dumpedBy: "16.1", header: header(15)},
			sb:     sandboxVersions{tool: "pg_restore", toolVersion: "15.2", server: "16.4"},
			errHas: []string{"this sandbox's pg_restore is 15.2", "PostgreSQL 16 or newer"},
		},
		{
			name:   "archive format alone too new (no pg_dump version)",
			d:      detected{header: header(15)},
			sb:     pg15,
			errHas: []string{"archive format 1.15 is newer than pg_restore 15.18 reads", "install PostgreSQL 16 or newer"},
		},
		{
			name:   "archive format newer than any known",
			d:      detected{header: header(17)},
			sb:     pg15,
			errHas: []string{"archive format 1.17 is newer than pg_restore 15.18 reads", "the PostgreSQL release that made it"},
		},
		{name: "pg_restore 17 reads 1.16", d: detected{dumpedBy: "17.0", header: header(16)}, sb: sandboxVersions{tool: "pg_restore", toolVersion: "17.2", server: "17.2"}},
		{name: "a newer pg_restore than known is not second-guessed", d: detected{header: header(17)}, sb: sandboxVersions{tool: "pg_restore", toolVersion: "19.0", server: "19.0"}},
		{name: "devel versions", d: detected{dumpedBy: "18devel", header: header(16)}, sb: sandboxVersions{tool: "pg_restore", toolVersion: "18beta1", server: "18beta1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := compatible(tt.d, tt.sb)
			if len(tt.errHas) == 0 {
				if err != nil {
					t.Fatalf("compatible: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("compatible = nil, want an error")
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q should contain %q", err, s)
				}
			}
		})
	}
}

func TestMajorOf(t *testing.T) {
	tests := map[string]int{
		"15.18":                          15,
		"15.18 (Debian 15.18-0+deb12u1)": 15,
		"17devel":                        17,
		"18beta1":                        18,
		"9.6.24":                         9,
		"":                               0,
		"unknown":                        0,
	}
	for in, want := range tests {
		if got := majorOf(in); got != want {
			t.Errorf("majorOf(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestNewestReadable(t *testing.T) {
	tests := []struct {
		major int
		want  string
		ok    bool
	}{
		{11, "", false},
		{12, "1.14.255", true},
		{15, "1.14.255", true},
		{16, "1.15.255", true},
		{17, "1.16.255", true},
		{18, "", false},
	}
	for _, tt := range tests {
		got, ok := newestReadable(tt.major)
		if ok != tt.ok || ok && got.String() != tt.want {
			t.Errorf("newestReadable(%d) = %s, %v; want %s, %v", tt.major, got, ok, tt.want, tt.ok)
		}
	}
}
