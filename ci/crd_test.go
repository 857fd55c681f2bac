package ci_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// cnpgCRDs holds CloudNativePG v1.27.1's own Cluster and Backup CRDs, from
// the release's config/crd/bases, so that the manifests the kind jobs apply
// are checked against what the API server will check them with.
const cnpgCRDs = "testdata/cnpg-1.27.1-crds.yaml.gz"

// crdSchema is one CRD version's openAPIV3Schema, as a map to walk and
// compiled to validate with.
type crdSchema struct {
	raw      map[string]any
	compiled *jsonschema.Schema
}

// yamlDocs reads every document of a YAML file as JSON-compatible values;
// a .gz file is decompressed first.
func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		r = gz
	}
	dec := yaml.NewDecoder(r)
	var docs []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if doc == nil {
			continue
		}
		// Through JSON, so that numbers and maps are what a JSON Schema
		// validator expects.
		j, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var norm map[string]any
		if err := json.Unmarshal(j, &norm); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, norm)
	}
}

// loadCRDs returns the schemas of the CRDs in path by "group/version, Kind".
func loadCRDs(t *testing.T, path string) map[string]crdSchema {
	t.Helper()
	out := map[string]crdSchema{}
	for _, crd := range yamlDocs(t, path) {
		spec, _ := crd["spec"].(map[string]any)
		group, _ := spec["group"].(string)
		names, _ := spec["names"].(map[string]any)
		kind, _ := names["kind"].(string)
		versions, _ := spec["versions"].([]any)
		for _, v := range versions {
			ver, _ := v.(map[string]any)
			name, _ := ver["name"].(string)
			sch, _ := ver["schema"].(map[string]any)
			raw, _ := sch["openAPIV3Schema"].(map[string]any)
			if raw == nil {
				t.Fatalf("%s: %s %s has no openAPIV3Schema", path, kind, name)
			}
			c := jsonschema.NewCompiler()
			url := "mem://" + group + "/" + name + "/" + kind
			if err := c.AddResource(url, raw); err != nil {
				t.Fatal(err)
			}
			compiled, err := c.Compile(url)
			if err != nil {
				t.Fatalf("compile the schema of %s: %v", kind, err)
			}
			out[group+"/"+name+", "+kind] = crdSchema{raw: raw, compiled: compiled}
		}
	}
	return out
}

// checkAgainstCRD validates obj with its CRD's schema (types, enums,
// required fields, patterns) and reports every field the schema does not
// know: the API server would silently prune it, so a misspelt field would
// be lost without a word.
func checkAgainstCRD(t *testing.T, name string, obj map[string]any, s crdSchema) {
	t.Helper()
	if err := s.compiled.Validate(obj); err != nil {
		t.Errorf("%s does not match its CRD: %v", name, err)
	}
	var unknown []string
	unknownFields("", obj, s.raw, &unknown)
	sort.Strings(unknown)
	for _, f := range unknown {
		t.Errorf("%s: field %s is not in the CRD's schema", name, f)
	}
}

func unknownFields(at string, v any, s map[string]any, out *[]string) {
	if s == nil || s["x-kubernetes-preserve-unknown-fields"] == true {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		extra, _ := s["additionalProperties"].(map[string]any)
		for k, val := range v {
			if sub, ok := props[k].(map[string]any); ok {
				unknownFields(at+"."+k, val, sub, out)
				continue
			}
			if extra != nil {
				unknownFields(at+"."+k, val, extra, out)
				continue
			}
			if props != nil {
				*out = append(*out, strings.TrimPrefix(at+"."+k, "."))
			}
		}
	case []any:
		items, _ := s["items"].(map[string]any)
		for i, val := range v {
			unknownFields(at+"["+strconv.Itoa(i)+"]", val, items, out)
		}
	}
}

// The CRD check itself: a good Cluster passes, a misspelt field is named,
// and a wrong type is refused; else the tests that use it prove nothing.
func TestCRDCheckCatchesMistakes(t *testing.T) {
	crds := loadCRDs(t, cnpgCRDs)
	cluster, ok := crds["postgresql.cnpg.io/v1, Cluster"]
	if !ok {
		t.Fatalf("%s holds no Cluster CRD", cnpgCRDs)
	}
	const head = `{"apiVersion":"postgresql.cnpg.io/v1","kind":"Cluster","metadata":{"name":"x"},"spec":`
	for _, tc := range []struct {
		name, spec  string
		wantUnknown []string
		wantInvalid bool
	}{
		{name: "good", spec: `{"instances":1,"storage":{"size":"1Gi"},"backup":{"barmanObjectStore":{"destinationPath":"s3://b/p","endpointURL":"http://x"}}}`},
		{name: "misspelt field", spec: `{"instances":1,"storage":{"size":"1Gi"},"backup":{"barmanObjectStore":{"destinationPath":"s3://b/p","endpointUrl":"http://x"}}}`,
			wantUnknown: []string{"spec.backup.barmanObjectStore.endpointUrl"}},
		{name: "wrong type", spec: `{"instances":"one","storage":{"size":"1Gi"}}`, wantInvalid: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v map[string]any
			if err := json.NewDecoder(bytes.NewReader([]byte(head + tc.spec + "}"))).Decode(&v); err != nil {
				t.Fatal(err)
			}
			var unknown []string
			unknownFields("", v, cluster.raw, &unknown)
			if strings.Join(unknown, " ") != strings.Join(tc.wantUnknown, " ") {
				t.Errorf("unknown fields %q, want %q", unknown, tc.wantUnknown)
			}
			if err := cluster.compiled.Validate(v); (err != nil) != tc.wantInvalid {
				t.Errorf("validation error %v, want one: %v", err, tc.wantInvalid)
			}
		})
	}
}
