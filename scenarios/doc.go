// Package scenarios is the working form of a drill scenario: Load reads a file
// written against a public API version (today scenarios/v1alpha1), rejects
// unknown fields and duplicate keys, applies defaults, converts to the
// internal types below and validates, reporting every problem at once with
// its file, line and field path.
//
// The engine only ever sees these internal types; the versioned types are for
// users and for the JSON Schema.
package scenarios
