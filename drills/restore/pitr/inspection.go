package pitr

import (
	"fmt"
	"time"

	"github.com/restore-drill/drill/drills/restore"
)

// TargetName says in words where a recovery stops, for plans and errors.
func TargetName(targetTime time.Time, backupID string) string {
	switch {
	case !targetTime.IsZero():
		return targetTime.UTC().Format(time.RFC3339)
	case backupID != "":
		return "the end of backup " + backupID
	}
	return "the latest archived WAL"
}

// Inspection is what a plan and the record show of the backup a
// point-in-time method chose: a physical backup needs exactly its server's
// major version, and room for itself plus the WAL it replays.
func Inspection(format string, b Backup, target, proof string) restore.Inspection {
	return restore.Inspection{
		Format:       format,
		DumpedFrom:   b.ServerVersion(),
		Jobs:         1,
		RestoreBytes: b.Size + b.Size/4,
		ExactMajor:   b.Version / 10000,
		Notes:        []string{fmt.Sprintf("backup %s, recovery to %s; %s", b.ID, target, proof)},
	}
}
