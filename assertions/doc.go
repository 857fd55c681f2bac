// Package assertions holds the checks that prove a recovery. Each check kind
// implements Check; New builds the right one from a scenario check. A check
// reports its expectation and what it observed, so that a failure shows both.
//
// The sql and rpo checks run their one statement in a read-only transaction
// of a read-only session, through the extended protocol (which refuses a
// second statement), so a check can never change the data it inspects. They
// read values in PostgreSQL's text format, in UTC, so that what a check
// observes is what psql would print.
package assertions
