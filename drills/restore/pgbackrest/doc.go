// Package pgbackrest recovers pgBackRest backups and their WAL from a posix
// repository into a server of the local sandbox, to a point in time:
// pgbackrest restore writes the data directory and its own restore_command
// (archive-get), to which drill appends the repository options. The same
// proofs as package barman make sure a recovery never passes short of its
// target (see package pitr).
package pgbackrest
