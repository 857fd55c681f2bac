// Package fault marks errors by whose fault they are, so that one place in
// the command line can turn them into exit codes: an infrastructure error
// (the drill could not be carried out: no PostgreSQL binaries, a server that
// will not start or cannot be reached) is not a failed drill.
package fault
