// Package local is the local sandbox: one throwaway PostgreSQL server per run,
// started from the PostgreSQL programs installed on this machine. No cluster
// is needed.
//
// Create makes a private directory named after the run (drill-<runid>-*),
// with a marker file that a sweep can find after a crash, runs initdb there
// with a per-run random password, and starts the postgres binary directly as
// a child process on a free port of 127.0.0.1. The server gets its own
// process group, so that a terminal's Ctrl-C reaches drill alone and drill
// tears down in order, and a parent-death signal, so that even a killed drill
// leaves no server running. Readiness is read from the server's log, not
// polled. PostgreSQL refuses to run as root: under root the server runs as
// the postgres system user (or nobody).
//
// FindLeftovers and RemoveLeftover find and remove what a crashed drill left
// behind, by the marker file.
//
// The settings favour speed over durability (fsync=off and friends): the data
// is thrown away with the sandbox.
package local
