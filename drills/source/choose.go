package source

import (
	"math/rand/v2"
	"path"
	"time"

	"github.com/restore-drill/drill/scenarios"
)

// choose applies a pick rule to the candidates a source holds: the newest,
// or any one modified within the window. Names not matching the pattern
// are not candidates. It returns nil and the reason when none is left.
func choose(candidates []*Artifact, name func(*Artifact) string, pk scenarios.Pick, now time.Time) (*Artifact, string) {
	var kept []*Artifact
	for _, c := range candidates {
		if pk.Pattern != "" {
			if ok, _ := path.Match(pk.Pattern, name(c)); !ok {
				continue
			}
		}
		if pk.Window > 0 && now.Sub(c.ModTime) > pk.Window {
			continue
		}
		kept = append(kept, c)
	}
	if len(kept) == 0 {
		return nil, emptyReason(len(candidates), pk)
	}
	if pk.Rule == scenarios.PickRandom {
		return kept[rand.IntN(len(kept))], ""
	}
	var best *Artifact
	for _, c := range kept {
		if newer(c, best) {
			best = c
		}
	}
	return best, ""
}

// emptyReason says why nothing was picked, so that a person knows whether
// the backups are missing or the pick rule left them out.
func emptyReason(candidates int, pk scenarios.Pick) string {
	switch {
	case candidates == 0:
		return "it holds no archive (hidden and temporary files are ignored)"
	case pk.Pattern != "" && pk.Window > 0:
		return "none of its archives matches pick.pattern " + pk.Pattern + " and is younger than pick.window " + pk.Window.String()
	case pk.Pattern != "":
		return "none of its archives matches pick.pattern " + pk.Pattern
	default:
		return "none of its archives is younger than pick.window " + pk.Window.String()
	}
}

// newer orders candidates by modification time; equal times fall back to the
// name, so that the pick never depends on the order a listing comes in.
func newer(a, than *Artifact) bool {
	if than == nil {
		return true
	}
	if !a.ModTime.Equal(than.ModTime) {
		return a.ModTime.After(than.ModTime)
	}
	return a.Name() > than.Name()
}
