package results

import "time"

// notOnPath are phases that frame the others rather than wait for them:
// verify spans every check, teardown comes after the RTO.
var notOnPath = map[string]bool{"verify": true, "teardown": true}

// step is one node of the graph the critical path is found in.
type step struct {
	name  string
	end   time.Time
	after []string
}

// CriticalPath finds the chain of steps that decided the run's RTO: it
// starts at the step that ended last (at or before the recovery, when the
// run recovered) and walks back along After, each time to the step waited
// for that ended last: the one the next step really waited on. A record
// whose steps carry no After (written before drill recorded them) has a
// path of one step; callers fall back to their own reading then.
func CriticalPath(r *Record) []string {
	steps := map[string]step{}
	var last *step
	consider := func(s step) {
		steps[s.name] = s
		if r.RecoveredAt != nil && s.end.After(r.RecoveredAt.Add(time.Millisecond)) {
			return // after the recovery: it did not decide the RTO
		}
		if last == nil || s.end.After(last.end) {
			c := s
			last = &c
		}
	}
	for _, p := range r.Phases {
		if p.End == nil || notOnPath[p.Name] {
			continue
		}
		consider(step{name: p.Name, end: *p.End, after: p.After})
	}
	for _, c := range r.Checks {
		if c.PassedAt == nil {
			continue
		}
		consider(step{name: "check/" + c.Name, end: *c.PassedAt, after: c.After})
	}
	if last == nil {
		return nil
	}
	path := []string{last.name}
	seen := map[string]bool{last.name: true}
	for cur := *last; ; {
		var prev *step
		for _, name := range cur.after {
			s, ok := steps[name]
			if ok && !seen[name] && (prev == nil || s.end.After(prev.end)) {
				c := s
				prev = &c
			}
		}
		if prev == nil {
			break
		}
		seen[prev.name] = true
		path = append(path, prev.name)
		cur = *prev
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}
