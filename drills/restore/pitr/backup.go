package pitr

import (
	"fmt"
	"strconv"
	"time"
)

// Backup is one base backup as its tool describes it.
type Backup struct {
	ID string
	// Status is DONE for a finished backup.
	Status             string
	BeginWAL, EndWAL   string
	BeginTime, EndTime time.Time
	Timeline           int
	// Version is the server's version number, e.g. 150004.
	Version int
	Size    int64
}

// ServerVersion turns 150004 into "15.4".
func (b Backup) ServerVersion() string {
	if b.Version <= 0 {
		return ""
	}
	return fmt.Sprintf("%d.%d", b.Version/10000, b.Version%10000)
}

// NextSegment is the WAL segment after seg (16 MB segments: the low part
// runs from 00000000 to 000000FF).
func NextSegment(seg string) string {
	tli, hi, lo := seg[:8], seg[8:16], seg[16:24]
	h, _ := strconv.ParseUint(hi, 16, 32)
	l, _ := strconv.ParseUint(lo, 16, 32)
	if l >= 0xFF {
		h, l = h+1, 0
	} else {
		l++
	}
	return fmt.Sprintf("%s%08X%08X", tli, h, l)
}
