package scenarios

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// maxFileSize bounds what is parsed: a scenario is a page of YAML, and a
// bound keeps a wrong file (a backup passed by mistake) from eating memory.
const maxFileSize = 1 << 20

// parseDocument parses data as exactly one YAML document holding a mapping
// and returns that mapping, or nil after recording why it cannot.
func parseDocument(data []byte, p *problems) *yaml.Node {
	if len(data) > maxFileSize {
		p.add(0, "", "the file is %d bytes, more than a scenario's limit of %d: is it the right file?", len(data), maxFileSize)
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		p.add(0, "", "the file is empty: a scenario starts with apiVersion: %s and kind: Scenario", knownVersions[0])
		return nil
	}
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			addSyntaxError(data, err, p)
			return nil
		}
		docs = append(docs, &doc)
	}
	switch {
	case len(docs) == 0:
		p.add(0, "", "the file holds only comments: a scenario starts with apiVersion: %s and kind: Scenario", knownVersions[0])
		return nil
	case len(docs) > 1:
		p.add(docs[1].Line, "", "the file holds %d YAML documents: put each scenario in a file of its own", len(docs))
		return nil
	}
	root := docs[0]
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			p.add(root.Line, "", "the document is empty: a scenario starts with apiVersion: %s and kind: Scenario", knownVersions[0])
			return nil
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.AliasNode && root.Alias != nil {
		root = root.Alias
	}
	if root.Kind != yaml.MappingNode {
		if isNull(root) {
			p.add(root.Line, "", "the document is empty: a scenario starts with apiVersion: %s and kind: Scenario", knownVersions[0])
		} else {
			p.decodeProblem(root.Line, "", "a scenario is a mapping with apiVersion, kind, metadata and spec, not %s", describeNode(root))
		}
		return nil
	}
	return root
}

// yamlLineError matches the parser's "yaml: line 3: did not find expected key".
var yamlLineError = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)

// addSyntaxError records a parser error at its line, and explains the
// commonest cause of a baffling one: a tab in the indentation.
func addSyntaxError(data []byte, err error, p *problems) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineError.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	tabLine := firstTabIndentedLine(data)
	switch {
	case tabLine == 0 && unquotedOperator(data, line) != "":
		p.add(line, "", "not valid YAML: %s: YAML reads a value starting with > or ! as its own syntax: quote it, e.g. %q", msg, unquotedOperator(data, line))
	case tabLine == 0:
		p.add(line, "", "not valid YAML: %s", msg)
	case tabLine == line:
		p.add(line, "", "not valid YAML: the line is indented with a tab: YAML indents with spaces only")
	default:
		p.add(line, "", "not valid YAML: %s (line %d is indented with a tab: YAML indents with spaces only)", msg, tabLine)
	}
}

// operatorValue matches "key: >= 1000" and "key: != 0", which people write
// for an expectation and YAML cannot parse.
var operatorValue = regexp.MustCompile(`:[ \t]+((?:>=?|!=)[ \t]*[^ \t#][^#]*?)[ \t]*(?:#.*)?$`)

// unquotedOperator returns the operator value on the 1-based line, or "".
func unquotedOperator(data []byte, line int) string {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	if m := operatorValue.FindStringSubmatch(strings.TrimRight(lines[line-1], "\r")); m != nil {
		return m[1]
	}
	return ""
}

// firstTabIndentedLine returns the 1-based number of the first line whose
// indentation holds a tab, or 0.
func firstTabIndentedLine(data []byte) int {
	for i, line := range strings.Split(string(data), "\n") {
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if strings.ContainsRune(indent, '\t') {
			return i + 1
		}
	}
	return 0
}
