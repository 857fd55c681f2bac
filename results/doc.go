// Package results holds the run record, the versioned JSON document every
// drill leaves behind, the store it is written to, and its renderers (text,
// JSON, YAML, JUnit XML, Markdown).
//
// A record is written when a run starts (outcome "running") and again when it
// ends, each time atomically, so that a crash leaves an incomplete record
// rather than nothing.
package results
