package drills

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
)

// sandboxBaseBytes is the disk an empty sandbox takes (initdb's cluster,
// WAL) before any data is restored into it.
const sandboxBaseBytes = 64 << 20

// preflight checks, before anything is provisioned, that the sandbox can
// take the backups locate found (each one was reached and read there): its
// PostgreSQL is not older than the servers the backups came from, and its
// disk can hold the restored data. A provider that cannot say in advance
// is not asked, and the phase is left out.
func (x *execution) preflight(ctx context.Context) bool {
	prober, ok := x.opts.Sandbox.(sandbox.Prober)
	if !ok {
		return true
	}
	end := x.st.phase("preflight", "locate")
	done := x.prog.start("preflight", "PostgreSQL version and disk space")
	capa, err := prober.Probe(ctx)
	msg := ""
	if err == nil {
		msg, err = x.fits(capa)
	}
	outcome := classify(err, x.ctxs)
	if err != nil {
		msg = "preflight: " + stepMessage(err, x.ctxs)
		x.fail(outcome, msg)
	}
	took := end(outcome, msg)
	done(outcome, took, msg)
	x.st.save(ctx)
	return err == nil
}

// fits says whether the located backups fit the sandbox capa describes.
func (x *execution) fits(capa sandbox.Capacity) (string, error) {
	need := int64(sandboxBaseBytes)
	for i, l := range x.located {
		need += l.insp.RestoreBytes
		if want := l.insp.ExactMajor; want > 0 && capa.PostgresMajor > 0 && capa.PostgresMajor != want {
			return "", fault.Infra(fmt.Errorf("restore %s: the backup's data files are PostgreSQL %d's, and this sandbox runs PostgreSQL %s: install PostgreSQL %d (apt-get install postgresql-%d) and set spec.sandbox.local.binDir to /usr/lib/postgresql/%d/bin",
				x.sc.Restores[i].Name, want, capa.PostgresVersion, want, want, want))
		}
		from := majorOf(l.insp.DumpedFrom)
		if from > 0 && capa.PostgresMajor > 0 && capa.PostgresMajor < from {
			return "", fault.Infra(fmt.Errorf("restore %s: the backup comes from PostgreSQL %s, and this sandbox's PostgreSQL %s is older: install PostgreSQL %d or newer (apt-get install postgresql-%d) or set spec.sandbox.local.binDir",
				x.sc.Restores[i].Name, l.insp.DumpedFrom, capa.PostgresVersion, from, from))
		}
	}
	if capa.FreeBytes >= 0 && need > capa.FreeBytes {
		return "", fault.Infra(fmt.Errorf("the restores need about %s of disk and %s is free in %s: free space there or set TMPDIR to a larger disk",
			results.FormatBytes(need), results.FormatBytes(capa.FreeBytes), capa.Dir))
	}
	msg := fmt.Sprintf("about %s needed, %s free in %s", results.FormatBytes(need), results.FormatBytes(capa.FreeBytes), capa.Dir)
	if capa.PostgresVersion != "" {
		msg = "PostgreSQL " + capa.PostgresVersion + ", " + msg
	}
	return msg, nil
}

// majorOf is the major version of a PostgreSQL version string ("15.4",
// "16.1 (Debian 16.1-1)", "9.6.24"); 0 when there is none.
func majorOf(version string) int {
	head, _, _ := strings.Cut(strings.TrimSpace(version), ".")
	head, _, _ = strings.Cut(head, " ")
	n, err := strconv.Atoi(head)
	if err != nil {
		return 0
	}
	return n
}
