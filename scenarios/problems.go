package scenarios

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// maxProblems caps the problems listed for one file; the rest are counted.
const maxProblems = 100

// problems collects everything wrong with one scenario. It knows the line of
// every field path the YAML had, so that problems found after decoding (a
// duplicate name, a check naming a missing restore) point at a line too.
type problems struct {
	file  string
	lines map[string]int
	list  []Problem
	// decodeFailed holds the paths where the YAML did not fit the types.
	// Problems found later near those paths are consequences of the same
	// mistake and are not reported twice.
	decodeFailed []string
	omitted      int
}

func newProblems(file string) *problems {
	return &problems{file: file, lines: make(map[string]int)}
}

// add records a problem at a known line.
func (p *problems) add(line int, field, format string, args ...any) {
	if len(p.list) >= maxProblems {
		p.omitted++
		return
	}
	p.list = append(p.list, Problem{File: p.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// decodeProblem records that the YAML at field does not fit the types.
func (p *problems) decodeProblem(line int, field, format string, args ...any) {
	p.decodeFailed = append(p.decodeFailed, field)
	p.add(line, field, format, args...)
}

// report records a problem found in the decoded scenario, at the line of the
// field or of its nearest ancestor the YAML had, unless it follows from a
// problem already reported while decoding.
func (p *problems) report(field, format string, args ...any) {
	for _, failed := range p.decodeFailed {
		if related(failed, field) {
			return
		}
	}
	p.add(p.lineOf(field), field, format, args...)
}

// reject records that the value at field cannot be used (a duration that
// does not parse); like a decoding problem, it is not reported twice.
func (p *problems) reject(field, format string, args ...any) {
	p.decodeFailed = append(p.decodeFailed, field)
	p.add(p.lineOf(field), field, format, args...)
}

func (p *problems) lineOf(field string) int {
	for {
		if line, ok := p.lines[field]; ok {
			return line
		}
		if field == "" {
			return 0
		}
		field = parentPath(field)
	}
}

// err returns the problems as an *Error, sorted by line, or nil.
func (p *problems) err() error {
	if len(p.list) == 0 && p.omitted == 0 {
		return nil
	}
	list := append([]Problem(nil), p.list...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].Line < list[j].Line })
	return &Error{File: p.file, Problems: list, Omitted: p.omitted}
}

// Field paths are written as users see them in the YAML:
// spec.restores[0].postgres.jobs, metadata.labels[team].

func childPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

func indexPath(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

func keyPath(parent, key string) string {
	return parent + "[" + key + "]"
}

func parentPath(field string) string {
	if strings.HasSuffix(field, "]") {
		if i := strings.LastIndexByte(field, '['); i >= 0 {
			return field[:i]
		}
	}
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[:i]
	}
	return ""
}

// related reports whether one path is the other or lies inside it.
func related(a, b string) bool {
	return a == b || within(a, b) || within(b, a)
}

func within(inner, outer string) bool {
	if outer == "" {
		return inner != ""
	}
	return strings.HasPrefix(inner, outer+".") || strings.HasPrefix(inner, outer+"[")
}
