package scenarios

import (
	"net/url"
	"path"
	"strings"
)

func validateSource(src Source, at string, p *problems) {
	switch {
	case src.Path == "" && src.S3 == nil:
		p.report(at, "set path (a backup file, or a directory of backups) or s3 (a bucket of backups)")
	case src.Path != "" && src.S3 != nil:
		p.report(at, "set path or s3, not both: one restore reads one source")
	}
	pk, pickPath := src.Pick, childPath(at, "pick")
	if pk.Rule != "" && pk.Rule != PickNewest && pk.Rule != PickRandom {
		p.report(childPath(pickPath, "rule"), "unknown pick rule %q: the rules are %s and %s", pk.Rule, PickNewest, PickRandom)
	}
	if pk.Window < 0 {
		p.report(childPath(pickPath, "window"), "must be positive, not %s", pk.Window)
	}
	if pk.Pattern != "" {
		if _, err := path.Match(pk.Pattern, ""); err != nil {
			p.report(childPath(pickPath, "pattern"), "%q is not a valid pattern (see Go's path.Match): %v", pk.Pattern, err)
		}
		if strings.Contains(pk.Pattern, "/") {
			p.report(childPath(pickPath, "pattern"), "matches a backup's name, which holds no '/': move the directory into path or s3.prefix")
		}
	}
	if src.S3 != nil {
		validateS3(src.S3, childPath(at, "s3"), p)
	}
}

func validateS3(s3 *S3Source, at string, p *problems) {
	if s3.Bucket == "" {
		p.report(childPath(at, "bucket"), "is required: the name of the bucket holding the backups")
	}
	u, err := url.Parse(s3.Endpoint)
	switch {
	case err != nil:
		p.report(childPath(at, "endpoint"), "is not a URL: %v", err)
	case u.Scheme != "http" && u.Scheme != "https":
		p.report(childPath(at, "endpoint"), "must start with https:// or http:// (the scheme says whether TLS is used), not %q", s3.Endpoint)
	case u.Host == "":
		p.report(childPath(at, "endpoint"), "names no host: write e.g. https://s3.eu-west-1.amazonaws.com")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.User != nil:
		p.report(childPath(at, "endpoint"), "must be only scheme, host and port: put the bucket in bucket and the rest of the key in prefix")
	}
	if strings.HasPrefix(s3.Prefix, "/") {
		p.report(childPath(at, "prefix"), "must not start with '/': keys have no leading slash (write %q)", strings.TrimLeft(s3.Prefix, "/"))
	}
	if s3.InsecureSkipVerify && s3.CAFile != "" {
		p.report(childPath(at, "tls"), "set caFile or insecureSkipVerify, not both")
	}
	c := s3.Credentials
	if c.Profile != "" && c.File == "" {
		p.report(childPath(at, "credentials.profile"), "needs credentials.file: the profile is a section of that file")
	}
}

func validateBarman(b *BarmanRestore, src Source, at string, p *problems) {
	if src.S3 == nil {
		p.report(at, "reads an object store: set source.s3 (bucket and prefix are the destinationPath)")
	}
	if src.Pick != (Pick{}) {
		p.report(at, "chooses its own backup from the target: remove source.pick")
	}
	if b.ServerName == "" {
		p.report(childPath(at, "serverName"), "is required: the folder under the destinationPath (CloudNativePG: the Cluster's name)")
	}
	if !b.TargetTime.IsZero() && b.BackupID != "" {
		p.report(childPath(at, "target"), "set time or backupID, not both")
	}
}

func countSet(set ...bool) int {
	n := 0
	for _, s := range set {
		if s {
			n++
		}
	}
	return n
}
