// Package postgres is the restore method for pg_dump archives: custom,
// directory and tar archives restored with pg_restore (custom and directory
// in parallel), and plain SQL, gzip-compressed or not, run through psql.
//
// Inspect tells the format from the archive's content, never its name, and
// reads the archive header that pg_dump writes (the layout of ReadHead in
// PostgreSQL's pg_backup_archiver.c) to learn which pg_dump made it and from
// which server. Restore refuses, as an infrastructure error, an archive newer
// than the sandbox's PostgreSQL can read, rather than letting pg_restore fail
// halfway with a less helpful message.
//
// pg_restore leaves ownership and privileges out unless the scenario keeps
// them; plain SQL has no such switch, so a plain dump whose objects belong
// to roles the sandbox lacks needs those roles listed to be created first.
package postgres
