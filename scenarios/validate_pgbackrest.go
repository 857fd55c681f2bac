package scenarios

import (
	"net/url"
	"strings"
)

// validatePgBackRest checks a pgbackrest restore: a posix repository
// (source.path is its repo1-path) or an s3 one (bucket, and the prefix is
// the repo1-path), which pgBackRest reaches over https only.
func validatePgBackRest(b *PgBackRestRestore, src Source, at string, p *problems) {
	if src.Path == "" && src.S3 == nil {
		p.report(at, "reads a pgBackRest repository: set source.path to a posix repository's repo1-path, or source.s3 to an s3 repository's bucket (prefix: its repo1-path)")
	}
	if s3 := src.S3; s3 != nil {
		if u, err := url.Parse(s3.Endpoint); err == nil && u.Scheme == "http" {
			p.report(at, "reads s3 repositories over https only, as pgBackRest does: give source.s3.endpoint an https:// URL (tls.caFile trusts a private certificate authority)")
		}
		if strings.Contains(s3.Prefix, "//") {
			p.report(at, "takes source.s3.prefix as its repo1-path, which has no empty part: remove the doubled '/' from %q", s3.Prefix)
		}
	}
	if src.Pick != (Pick{}) {
		p.report(at, "chooses its own backup from the target: remove source.pick")
	}
	if b.Stanza == "" {
		p.report(childPath(at, "stanza"), "is required: the pgBackRest stanza of the backed-up cluster")
	}
	if b.CipherPassEnv != "" {
		if msg := checkEnvName(b.CipherPassEnv); msg != "" {
			p.report(childPath(at, "encryption.passphraseEnv"), "%s", msg)
		}
	}
	if !b.TargetTime.IsZero() && b.BackupID != "" {
		p.report(childPath(at, "target"), "set time or backupID, not both")
	}
}
