package drills

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// NewRunID returns a run id that sorts by start time and is safe in file
// names, Kubernetes names and label values: "20261127-103000-9f3c2a".
func NewRunID(start time.Time) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error on Linux
	return start.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b)
}
