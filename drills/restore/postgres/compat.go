package postgres

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// firstWriter is the PostgreSQL major version whose pg_dump first wrote each
// archive format that still matters (K_VERS_* in pg_backup_archiver.h), and
// so the oldest pg_restore that reads it.
var firstWriter = []struct {
	version archiveVersion
	major   int
}{
	{archiveVersion{1, 16, 0}, 17}, // BLOB METADATA entries, relkind
	{archiveVersion{1, 15, 0}, 16}, // compression algorithm in the header
	{archiveVersion{1, 14, 0}, 12}, // table access methods
}

// newestWriterKnown is the newest major whose archive format is known here.
// Newer pg_restore versions may read formats this package has never seen,
// so it does not judge them.
const newestWriterKnown = 17

// newestReadable is the newest archive format that pg_restore of the given
// major version reads; ok is false when it is not known here.
func newestReadable(major int) (v archiveVersion, ok bool) {
	if major < firstWriter[len(firstWriter)-1].major || major > newestWriterKnown {
		return archiveVersion{}, false
	}
	for _, w := range firstWriter {
		if major >= w.major {
			return archiveVersion{w.version.major, w.version.minor, 255}, true
		}
	}
	return archiveVersion{}, false
}

// neededMajor is the oldest pg_restore major that reads archive format v;
// 0 when v is newer than any format known here.
func neededMajor(v archiveVersion) int {
	if v.atLeast(newestKnown.major, newestKnown.minor+1) {
		return 0
	}
	for _, w := range firstWriter {
		if v.atLeast(w.version.major, w.version.minor) {
			return w.major
		}
	}
	return 0
}

var leadingVersion = regexp.MustCompile(`^\s*(\d+)(?:\.(\d+))?`)

// majorOf is the major version of a PostgreSQL version string such as
// "15.18 (Debian 15.18-0+deb12u1)", "17devel" or "9.6.24" (major 9); 0 when
// the string holds none.
func majorOf(version string) int {
	m := leadingVersion.FindStringSubmatch(version)
	if m == nil {
		return 0
	}
	major, err := strconv.Atoi(m[1])
	if err != nil {
		return 0
	}
	return major
}

// shortVersion is the version number alone ("15.18" of "15.18 (Debian
// 15.18-0+deb12u1)"), for messages.
func shortVersion(version string) string {
	if f := strings.Fields(version); len(f) > 0 {
		return f[0]
	}
	return version
}

// sandboxVersions is what the sandbox can read and load.
type sandboxVersions struct {
	// tool is the restore tool ("pg_restore" or "psql") and its version.
	tool, toolVersion string
	// server is the sandbox server's version.
	server string
}

// compatible checks that the sandbox can restore what d describes. The
// error says what to install.
func compatible(d detected, sb sandboxVersions) error {
	toolMajor, serverMajor := majorOf(sb.toolVersion), majorOf(sb.server)
	// A dump loads into a server of its pg_dump's major version or newer;
	// the SQL of a newer pg_dump may use what an older server lacks.
	if need := majorOf(d.dumpedBy); need > 0 {
		if serverMajor > 0 && serverMajor < need {
			return tooNew(fmt.Sprintf("archive was made by pg_dump %s", shortVersion(d.dumpedBy)),
				fmt.Sprintf("this sandbox's PostgreSQL is %s", shortVersion(sb.server)), need)
		}
		if toolMajor > 0 && toolMajor < need {
			return tooNew(fmt.Sprintf("archive was made by pg_dump %s", shortVersion(d.dumpedBy)),
				fmt.Sprintf("this sandbox's %s is %s", sb.tool, shortVersion(sb.toolVersion)), need)
		}
	}
	if d.header == nil || toolMajor == 0 {
		return nil
	}
	newest, known := newestReadable(toolMajor)
	if !known || !d.header.version.atLeast(newest.major, newest.minor+1) {
		return nil
	}
	what := fmt.Sprintf("archive format %s is newer than %s %s reads", d.header.version, sb.tool, shortVersion(sb.toolVersion))
	need := neededMajor(d.header.version)
	if need == 0 {
		return fmt.Errorf("%s: restore it with the PostgreSQL release that made it (set spec.sandbox.local.binDir to its bin directory)", what)
	}
	return fmt.Errorf("%s: install PostgreSQL %d or newer (apt-get install postgresql-%d) or set spec.sandbox.local.binDir to its bin directory", what, need, need)
}

func tooNew(made, have string, need int) error {
	return fmt.Errorf("%s; %s: install PostgreSQL %d or newer (apt-get install postgresql-%d) or set spec.sandbox.local.binDir to its bin directory",
		made, have, need, need)
}
