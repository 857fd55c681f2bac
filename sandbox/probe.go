package sandbox

import "context"

// Capacity is what a provider's sandboxes would offer, found out without
// creating one, so that a run can refuse before it provisions anything.
type Capacity struct {
	// PostgresVersion and PostgresMajor are those of the server a sandbox
	// would run ("15.18", 15); empty and zero when the kind runs none.
	PostgresVersion string
	PostgresMajor   int
	// Dir is where a sandbox's data would go; FreeBytes is the space free
	// there, negative when unknown.
	Dir       string
	FreeBytes int64
}

// Prober is a Provider that can tell its Capacity in advance.
type Prober interface {
	Probe(ctx context.Context) (Capacity, error)
}
