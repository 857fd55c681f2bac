// Package sampledb makes a sample "production" billing database, and dumps
// of it, for the demo, for the tests of other packages and for the
// benchmark. Its content is deterministic, except for the payload text, so
// that checks can know the answers: invoice i of N belongs to customer
// ((i-1) mod C)+1, costs ((i*7919) mod 100000)/100 and was created N-i
// minutes before the newest invoice.
package sampledb
