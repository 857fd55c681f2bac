// Package app is drill's command line: one file per command, each a flag
// struct, a constructor and a RunE that maps flags onto library options.
// Main is the only place that handles signals, prints errors and chooses the
// exit code (see exitcode.go).
package app
