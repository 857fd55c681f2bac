package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// encodeJSON is the one JSON form of a record, for files and for WriteJSON:
// two-space indent, a final newline, and no HTML escaping, so that an
// expectation such as ">= 1000" reads as written.
func encodeJSON(r *Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeRecord reads a record after checking its apiVersion. Unknown fields
// are accepted: a later drill may add optional fields within the same
// apiVersion, and its records must stay readable.
func decodeRecord(data []byte) (*Record, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("not a run record: %w", err)
	}
	if err := checkAPIVersion(&Record{APIVersion: head.APIVersion, Kind: head.Kind}); err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decode run record: %w", err)
	}
	return &r, nil
}

// sortByStart orders records by start time; run id breaks ties so the order
// never depends on how the store enumerated them.
func sortByStart(records []*Record) {
	slices.SortStableFunc(records, func(a, b *Record) int {
		if c := a.StartedAt.Compare(b.StartedAt); c != 0 {
			return c
		}
		return strings.Compare(a.RunID, b.RunID)
	})
}
