package results

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Store keeps run records. Save is called when a run starts and again when
// it ends; the second call replaces the first.
type Store interface {
	// Save writes r, replacing any record of the same scenario and run id.
	Save(ctx context.Context, r *Record) error
	// Load reads one run's record. A missing record is ErrNotFound.
	Load(ctx context.Context, scenario, runID string) (*Record, error)
	// List reads every record of one scenario, oldest start first. An
	// unknown scenario has no records, which is not an error.
	List(ctx context.Context, scenario string) ([]*Record, error)
}

// ErrNotFound means the store holds no record for that scenario and run id.
var ErrNotFound = errors.New("run record not found")

// ErrUnknownAPIVersion means a record was written in a format this version of
// drill does not know, typically by a newer drill.
var ErrUnknownAPIVersion = errors.New("unknown run record apiVersion")

// checkAPIVersion refuses a record of another format rather than misreading it.
func checkAPIVersion(r *Record) error {
	if r.APIVersion != APIVersion || r.Kind != Kind {
		return fmt.Errorf("%w: got apiVersion %q kind %q, want %q %q; read it with the drill version that wrote it",
			ErrUnknownAPIVersion, r.APIVersion, r.Kind, APIVersion, Kind)
	}
	return nil
}

// stamped returns r with APIVersion and Kind filled in when r leaves them
// empty, so that every saved record can be loaded again. r is not changed.
func stamped(r *Record) (*Record, error) {
	if r == nil {
		return nil, errors.New("cannot save a nil run record")
	}
	c := *r
	if c.APIVersion == "" {
		c.APIVersion = APIVersion
	}
	if c.Kind == "" {
		c.Kind = Kind
	}
	if err := checkAPIVersion(&c); err != nil {
		return nil, fmt.Errorf("run record %s/%s: %w", c.Scenario, c.RunID, err)
	}
	if err := checkName("scenario", c.Scenario); err != nil {
		return nil, err
	}
	if err := checkName("run id", c.RunID); err != nil {
		return nil, err
	}
	return &c, nil
}

// checkName keeps scenario names and run ids usable as one path element (or
// key), so that a record can never be written outside its store.
func checkName(what, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("run record has no %s; set it before saving", what)
	case name == "." || name == "..",
		strings.HasPrefix(name, "."),
		strings.ContainsAny(name, "/\\\x00"):
		return fmt.Errorf("run record %s %q cannot name a file: use letters, digits, '-', '_' and '.' (not first)", what, name)
	}
	return nil
}
