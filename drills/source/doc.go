// Package source finds the backup a restore will use and identifies it
// exactly (path, size, modification time, sha256), so that a record says
// which backup was proven, not just that one was.
package source
