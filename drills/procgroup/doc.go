// Package procgroup runs a program in a process group of its own, so that
// stopping it (a timeout, Ctrl-C) stops every process it started, and none
// outlives the call: pg_restore's parallel workers, a shell's children.
package procgroup
