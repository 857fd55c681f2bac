package drills

import (
	"fmt"
	"time"

	"github.com/restore-drill/drill/results"
)

// finish measures the recovery, judges it against the objectives and closes
// the record.
func (x *execution) finish() {
	finished := time.Now()
	x.mu.Lock()
	lastPass, newest := x.lastPass, x.newest
	x.mu.Unlock()

	var rto, dataLoss time.Duration
	recovered := x.recovered()
	if recovered {
		rto = x.st.since(lastPass)
	}
	if newest != nil {
		dataLoss = max(x.st.start.Sub(*newest), 0)
	}
	if recovered {
		for _, miss := range x.judge(rto, dataLoss, newest != nil) {
			x.fail(results.Failed, miss)
		}
	}
	x.mu.Lock()
	verdict, reason := x.verdict, x.reason
	x.mu.Unlock()

	x.st.update(func(r *results.Record) {
		end := finished.UTC()
		r.FinishedAt = &end
		if recovered {
			at := lastPass.UTC()
			r.RecoveredAt = &at
			r.RTOSeconds = seconds(rto)
		}
		if newest != nil {
			n := newest.UTC()
			r.RPO.NewestData = &n
			r.RPO.DataLossSeconds = seconds(dataLoss)
		}
		r.Outcome, r.Reason = verdict, reason
		r.CriticalPath = results.CriticalPath(r)
	})
	x.prog.printf("%s", x.summaryLine(verdict, recovered, rto, dataLoss, newest != nil))
}

// recovered is true when every restore and every check passed.
func (x *execution) recovered() bool {
	ok := true
	x.st.update(func(r *results.Record) {
		for _, rr := range r.Restores {
			ok = ok && rr.Outcome == results.Passed
		}
		for _, c := range r.Checks {
			ok = ok && c.Outcome == results.Passed
		}
		for _, a := range r.Apps {
			ok = ok && a.Outcome == results.Passed
		}
	})
	return ok && len(x.sc.Restores) > 0
}

// judge compares the measurements with the objectives and says by how much
// each missed one was missed.
func (x *execution) judge(rto, dataLoss time.Duration, haveDataLoss bool) []string {
	var misses []string
	obj := x.sc.Objectives
	if obj.RTO > 0 && rto > obj.RTO {
		misses = append(misses, fmt.Sprintf("RTO %s missed the objective %s by %s", results.FormatDuration(rto), results.FormatDuration(obj.RTO), results.FormatDuration(rto-obj.RTO)))
	}
	if obj.RPO > 0 {
		what, loss := "data loss", dataLoss
		if !haveDataLoss {
			what, loss = "backup age", x.backupAge()
		}
		if loss > obj.RPO {
			misses = append(misses, fmt.Sprintf("RPO (%s) %s missed the objective %s by %s", what, results.FormatDuration(loss), results.FormatDuration(obj.RPO), results.FormatDuration(loss-obj.RPO)))
		}
	}
	return misses
}

func (x *execution) backupAge() time.Duration {
	var age time.Duration
	x.st.update(func(r *results.Record) {
		if r.RPO.BackupAgeSeconds != nil {
			age = time.Duration(*r.RPO.BackupAgeSeconds * float64(time.Second))
		}
	})
	return age
}

func (x *execution) summaryLine(verdict results.Outcome, recovered bool, rto, dataLoss time.Duration, haveDataLoss bool) string {
	s := fmt.Sprintf("%s %s", x.sc.Name, verdict)
	if recovered {
		s += fmt.Sprintf(": RTO %s", results.FormatDuration(rto))
		if x.sc.Objectives.RTO > 0 {
			s += fmt.Sprintf(" (objective %s)", results.FormatDuration(x.sc.Objectives.RTO))
		}
		s += fmt.Sprintf(", backup age %s", results.FormatDuration(x.backupAge()))
		if haveDataLoss {
			s += fmt.Sprintf(", data loss %s", results.FormatDuration(dataLoss))
		}
		if x.sc.Objectives.RPO > 0 {
			s += fmt.Sprintf(" (RPO objective %s)", results.FormatDuration(x.sc.Objectives.RPO))
		}
	}
	return s
}
