package v1alpha1

import (
	"embed"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
)

// typeSources are the files whose doc comments describe the format. They are
// embedded so that a built drill binary, far from its source, still writes
// the field descriptions into the schema: the doc comments stay the one
// place the format is documented.
//
//go:embed types*.go scalars.go
var typeSources embed.FS

// docComments maps "Type" and "Type.Field" to the doc comment of that type
// or field, reflowed into one paragraph per blank-line-separated block. A
// field comment that starts with the Go field name starts with the name
// users write instead ("Jobs is" becomes "jobs is").
func docComments() (map[string]string, error) {
	entries, err := typeSources.ReadDir(".")
	if err != nil {
		return nil, err
	}
	comments := make(map[string]string)
	fset := token.NewFileSet()
	for _, e := range entries {
		src, err := typeSources.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, e.Name(), src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		collectComments(f, comments)
	}
	return comments, nil
}

func collectComments(f *ast.File, comments map[string]string) {
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.TYPE {
			continue
		}
		for _, spec := range gen.Specs {
			ts := spec.(*ast.TypeSpec)
			doc := ts.Doc
			if doc == nil && len(gen.Specs) == 1 {
				doc = gen.Doc
			}
			comments[ts.Name.Name] = reflow(doc.Text())
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, field := range st.Fields.List {
				text := reflow(field.Doc.Text())
				for _, name := range field.Names {
					comments[ts.Name.Name+"."+name.Name] = withJSONName(text, name.Name, field.Tag)
				}
			}
		}
	}
}

// reflow joins wrapped comment lines, keeping paragraph breaks.
func reflow(text string) string {
	paragraphs := strings.Split(strings.TrimSpace(text), "\n\n")
	for i, p := range paragraphs {
		paragraphs[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paragraphs, "\n\n")
}

func withJSONName(text, goName string, tag *ast.BasicLit) string {
	if tag == nil {
		return text
	}
	jsonName, _, _ := strings.Cut(reflect.StructTag(strings.Trim(tag.Value, "`")).Get("json"), ",")
	rest, ok := strings.CutPrefix(text, goName+" ")
	if !ok || jsonName == "" {
		return text
	}
	return jsonName + " " + rest
}
