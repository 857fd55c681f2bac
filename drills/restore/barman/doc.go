// Package barman recovers PostgreSQL base backups and their WAL, as Barman
// Cloud (and CloudNativePG) write them to an object store, into a server of
// the local sandbox, to a point in time: barman-cloud-restore fetches the
// base backup and barman-cloud-wal-restore is the restore_command.
//
// PostgreSQL does not prove that a recovery reached its target: with a WAL
// segment missing and no target it promotes at the gap and silently drops
// every later commit. So the method proves it: before restoring, the WAL
// from the backup to the target must be complete in the archive; after
// promotion, the server's log must say where recovery stopped, and the last
// replayed commit must not be after the target.
package barman
