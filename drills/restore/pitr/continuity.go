package pitr

import (
	"fmt"
	"sort"
	"time"
)

// ProveWAL checks that the archive holds every WAL segment a recovery
// needs: from the backup's first segment to its last, and then to the
// target (the first segment archived at or after the target time, which
// holds or follows it) or, for the latest target, to the newest segment of
// the backup's timeline. The error names the first missing segment.
func ProveWAL(b Backup, wals map[string]time.Time, target time.Time, latest bool) (string, error) {
	if b.BeginWAL == "" || len(b.BeginWAL) != 24 {
		return "", fmt.Errorf("backup %s does not say where its WAL begins (backup.info has no begin_wal)", b.ID)
	}
	tli := b.BeginWAL[:8]
	newest := ""
	for seg := range wals {
		if seg[:8] == tli && seg > newest {
			newest = seg
		}
	}
	seg := b.BeginWAL
	for {
		archived, ok := wals[seg]
		if !ok {
			return "", missing(b, seg, newest, target, latest)
		}
		done := seg >= b.EndWAL
		switch {
		case !done:
		case latest && seg == newest:
			return fmt.Sprintf("WAL complete from %s to %s, the newest archived", b.BeginWAL, seg), nil
		case !latest && target.IsZero():
			return fmt.Sprintf("WAL complete from %s to the backup's end %s", b.BeginWAL, seg), nil
		case !latest && !archived.Before(target):
			return fmt.Sprintf("WAL complete from %s to %s, archived %s, after the target", b.BeginWAL, seg, archived.UTC().Format(time.RFC3339)), nil
		}
		seg = NextSegment(seg)
	}
}

func missing(b Backup, seg, newest string, target time.Time, latest bool) error {
	switch {
	case newest > seg:
		return fmt.Errorf("WAL segment %s is missing from the archive (segments after it exist, up to %s): a recovery would stop at the gap and silently lose every later commit", seg, newest)
	case seg <= b.EndWAL:
		return fmt.Errorf("WAL segment %s, needed to make backup %s consistent, is missing from the archive", seg, b.ID)
	case latest:
		return fmt.Errorf("the archive's WAL ends at %s, before the end of backup %s", newest, b.ID)
	}
	return fmt.Errorf("the archive's WAL ends at %s, archived before the target %s: no WAL reaches the target yet", newest, target.UTC().Format(time.RFC3339))
}

// Choose picks the backup a target needs: the newest finished one
// that ended before the target time, the one with the id, or the newest.
func Choose(all []Backup, target time.Time, id string) (Backup, error) {
	sort.Slice(all, func(i, j int) bool { return all[i].EndTime.Before(all[j].EndTime) })
	var best *Backup
	for i, b := range all {
		switch {
		case b.Status != "DONE":
		case id != "":
			if b.ID == id {
				return b, nil
			}
		case !target.IsZero():
			if b.EndTime.Before(target) {
				best = &all[i]
			}
		default:
			best = &all[i]
		}
	}
	switch {
	case best != nil:
		return *best, nil
	case id != "":
		return Backup{}, fmt.Errorf("no finished backup has id %s", id)
	case !target.IsZero():
		return Backup{}, fmt.Errorf("no finished backup ended before the target %s: a recovery can only start from a backup taken before it", target.UTC().Format(time.RFC3339))
	}
	return Backup{}, fmt.Errorf("no finished backup (status DONE)")
}
