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

// decodeRecord reads a record and checks its apiVersion. Unknown fields
// are accepted: a later drill may add optional fields within the same
// apiVersion, and its records must stay readable. The record is decoded
// once (reports read thousands); only when that fails is the head read
// alone, so that a record of another format is named as such rather than
// reported as a type error.
func decodeRecord(data []byte) (*Record, error) {
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if herr := json.Unmarshal(data, &head); herr != nil {
			return nil, fmt.Errorf("not a run record: %w", herr)
		}
		if verr := checkAPIVersion(&Record{APIVersion: head.APIVersion, Kind: head.Kind}); verr != nil {
			return nil, verr
		}
		return nil, fmt.Errorf("decode run record: %w", err)
	}
	if err := checkAPIVersion(&r); err != nil {
		return nil, err
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
