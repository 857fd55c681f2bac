package results

import (
	"fmt"
	"io"

	"sigs.k8s.io/yaml"
)

// Writer renders a record in one output format.
type Writer func(w io.Writer, r *Record) error

// WriteJSON writes the record as indented JSON, exactly as a store keeps it.
func WriteJSON(w io.Writer, r *Record) error {
	data, err := encodeJSON(r)
	if err != nil {
		return fmt.Errorf("encode run record %s as JSON: %w", r.RunID, err)
	}
	_, err = w.Write(data)
	return err
}

// WriteYAML writes the record as YAML, converted from its JSON so that the
// field names are the same.
func WriteYAML(w io.Writer, r *Record) error {
	data, err := encodeJSON(r)
	if err != nil {
		return fmt.Errorf("encode run record %s as JSON: %w", r.RunID, err)
	}
	out, err := yaml.JSONToYAML(data)
	if err != nil {
		return fmt.Errorf("convert run record %s to YAML: %w", r.RunID, err)
	}
	_, err = w.Write(out)
	return err
}
