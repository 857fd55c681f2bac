// Package assertions holds the checks that prove a recovery. Each check kind
// implements Check; New builds the right one from a scenario check. A check
// reports its expectation and what it observed, so that a failure shows both.
package assertions
