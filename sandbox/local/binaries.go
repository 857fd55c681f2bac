package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/restore-drill/drill/drills/fault"
)

// ErrNoBinaries means no directory holds a usable set of PostgreSQL programs.
// Errors that wrap it are also marked with fault.Infra.
var ErrNoBinaries = errors.New("no usable PostgreSQL programs found")

// serverPrograms are what a sandbox runs; clientPrograms are what restores
// and dumps run against it. All must be of one major version.
var (
	serverPrograms = []string{"initdb", "postgres", "pg_ctl"}
	clientPrograms = []string{"pg_restore", "psql", "pg_dump"}
)

// debianRoot is where Debian and Ubuntu install one directory per major version.
const debianRoot = "/usr/lib/postgresql"

// versionTimeout bounds one "--version" call: a program that hangs there is broken.
const versionTimeout = 10 * time.Second

// Binaries is one directory of PostgreSQL programs of one version.
type Binaries struct {
	// Dir holds initdb, postgres, pg_ctl, pg_restore, psql and pg_dump.
	Dir string
	// Version is the server's version, e.g. "15.18".
	Version string
	// Major is the server's major version, e.g. 15.
	Major int
}

// Path is the full path of one program in Dir.
func (b *Binaries) Path(program string) string {
	return filepath.Join(b.Dir, program)
}

// FindBinaries looks for the PostgreSQL programs in binDir (when set), then on
// PATH, then in pg_config --bindir, then in /usr/lib/postgresql/<N>/bin,
// newest N first. The first directory that holds all of them, of one major
// version, wins. A symbolic link to initdb (as some packages put on PATH) is
// followed to the directory it points into.
func FindBinaries(binDir string) (*Binaries, error) {
	return findIn(candidateDirs(binDir))
}

// findIn returns the first of dirs that holds a usable set of programs.
func findIn(dirs []string) (*Binaries, error) {
	var problems []string
	seen := map[string]bool{}
	for _, dir := range dirs {
		real, err := realDir(dir)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if seen[real] {
			continue
		}
		seen[real] = true
		b, err := inspectDir(real)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		return b, nil
	}
	looked := "nowhere"
	if len(problems) > 0 {
		looked = strings.Join(problems, "; ")
	}
	return nil, fault.Infra(fmt.Errorf("%w (%s): install them with \"apt-get install postgresql\" on Debian/Ubuntu, "+
		"or set spec.sandbox.local.binDir to the directory that holds initdb, postgres, pg_ctl, pg_restore, psql and pg_dump",
		ErrNoBinaries, looked))
}

// candidateDirs lists where to look, in order; duplicates are removed later,
// after symbolic links are resolved.
func candidateDirs(binDir string) []string {
	var dirs []string
	if binDir != "" {
		dirs = append(dirs, binDir)
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	if d := pgConfigBindir(); d != "" {
		dirs = append(dirs, d)
	}
	return append(dirs, debianDirs(debianRoot)...)
}

// pgConfigBindir asks pg_config where the programs are; "" when it cannot say.
func pgConfigBindir() string {
	p, err := exec.LookPath("pg_config")
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), versionTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, p, "--bindir").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// debianDirs lists root/<N>/bin for every numeric N, newest first.
func debianDirs(root string) []string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	type versioned struct {
		n   float64
		dir string
	}
	var found []versioned
	for _, e := range entries {
		n, err := strconv.ParseFloat(e.Name(), 64) // "9.6" sorts below "10"
		if err != nil || !e.IsDir() {
			continue
		}
		found = append(found, versioned{n, filepath.Join(root, e.Name(), "bin")})
	}
	sort.Slice(found, func(i, j int) bool { return found[i].n > found[j].n })
	dirs := make([]string, len(found))
	for i, f := range found {
		dirs[i] = f.dir
	}
	return dirs
}

// realDir is the directory initdb really lives in, following a symbolic link.
func realDir(dir string) (string, error) {
	real, err := filepath.EvalSymlinks(filepath.Join(dir, "initdb"))
	if err != nil {
		return "", fmt.Errorf("%s: no initdb", dir)
	}
	abs, err := filepath.Abs(filepath.Dir(real))
	if err != nil {
		return "", fmt.Errorf("%s: %v", dir, err)
	}
	return abs, nil
}

// inspectDir checks that dir holds every program, all of one major version.
func inspectDir(dir string) (*Binaries, error) {
	var missing []string
	for _, prog := range append(append([]string{}, serverPrograms...), clientPrograms...) {
		if !isExecutable(filepath.Join(dir, prog)) {
			missing = append(missing, prog)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: no %s", dir, strings.Join(missing, ", "))
	}
	version, major, err := programVersion(filepath.Join(dir, "postgres"))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", dir, err)
	}
	for _, prog := range []string{"initdb", "pg_ctl", "pg_restore", "psql", "pg_dump"} {
		v, m, err := programVersion(filepath.Join(dir, prog))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", dir, err)
		}
		if m != major {
			return nil, fmt.Errorf("%s: %s is version %s but postgres is %s", dir, prog, v, version)
		}
	}
	return &Binaries{Dir: dir, Version: version, Major: major}, nil
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
}

// programVersion runs "program --version".
func programVersion(program string) (version string, major int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), versionTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, program, "--version").Output()
	if err != nil {
		return "", 0, fmt.Errorf("%s --version: %v", filepath.Base(program), err)
	}
	return ParseVersion(string(out))
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\)\s+((\d+)(?:\.\d+)*[A-Za-z0-9]*)`)

// ParseVersion reads the output of a PostgreSQL program's --version, e.g.
// "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" → "15.18", 15.
func ParseVersion(out string) (version string, major int, err error) {
	m := versionRE.FindStringSubmatch(out)
	if m == nil {
		return "", 0, fmt.Errorf("not a PostgreSQL version: %q", firstLine(out))
	}
	major, err = strconv.Atoi(m[2])
	if err != nil {
		return "", 0, fmt.Errorf("not a PostgreSQL version: %q", firstLine(out))
	}
	return m[1], major, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
