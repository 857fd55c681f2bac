package restore

import (
	"context"

	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/scenarios"
)

// Locator is a Method that finds its own backup in the source instead of
// the source's pick rule: a physical backup is a base backup plus the WAL
// after it, chosen by the recovery target. Its artifact needs no download.
type Locator interface {
	Locate(ctx context.Context, src scenarios.Source) (*source.Artifact, error)
}
