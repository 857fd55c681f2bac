// Package ci holds no code: it is the home of drill's continuous-integration
// and operations files (the GitHub Actions workflow and composite action, the
// Prometheus alert rules, the Grafana dashboard, the in-cluster CronJob) and
// of the tests that check them: the rules parse with Prometheus's own rule
// parser and fire when they should, the dashboard only queries metrics that
// drill exports, and the workflows pass actionlint. See README.md.
package ci
