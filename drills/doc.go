// Package drills is the engine: it runs one scenario as an ordered list of
// timed phases — locate the backups, provision the sandbox, restore (all
// restores at once), verify (each check as soon as its restore is done),
// teardown — and measures the recovery.
//
// RTO is measured on the monotonic clock from the run's start (the declared
// disaster) to the moment the last check passed; teardown is not part of it.
// RPO is reported as the age of the oldest backup used and, where an rpo check
// exists, as the run's start minus the newest timestamp in the restored data.
//
// The engine never exits and never reads signals: a cancelled context means
// the run was interrupted, and teardown then still runs under its own
// deadline (context.WithoutCancel), so Ctrl-C leaves nothing behind.
package drills
