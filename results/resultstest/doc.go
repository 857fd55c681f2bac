// Package resultstest generates realistic run records for tests and
// benchmarks of stores and reports: many runs of several scenarios, with
// phases, restores, checks, failures and RPO measurements consistent with
// each other, reproducible from a seed.
package resultstest
