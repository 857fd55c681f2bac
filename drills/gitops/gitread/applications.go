package gitread

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	synccommon "github.com/argoproj/gitops-engine/pkg/sync/common"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// applicationAPIVersion is the only Application API Argo CD serves.
const applicationAPIVersion = "argoproj.io/v1alpha1"

// applications reads the Applications among the documents of one file
// (multi-document YAML, or JSON). Other objects are ignored, as are
// documents that are no object at all; a document that is not YAML is an
// error, since Argo CD could not apply the directory either.
func applications(name string, content []byte) ([]Child, error) {
	docs := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(content)))
	var out []Child
	for i := 1; ; i++ {
		doc, err := docs.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ch, ok, err := application(doc)
		if err != nil {
			return nil, fmt.Errorf("%s, document %d: %w", name, i, err)
		}
		if ok {
			out = append(out, ch)
		}
	}
}

// application reads one document: ok is false when it is not an
// Application.
func application(doc []byte) (ch Child, ok bool, err error) {
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return Child{}, false, fmt.Errorf("not YAML: %w", err)
	}
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if json.Unmarshal(js, &head) != nil || head.Kind != "Application" || head.APIVersion != applicationAPIVersion {
		return Child{}, false, nil // not an object, or another kind
	}
	var app v1alpha1.Application
	if err := json.Unmarshal(js, &app); err != nil {
		return Child{}, false, fmt.Errorf("not an Argo CD Application: %w", err)
	}
	if app.Name == "" {
		return Child{}, false, errors.New("an Application without metadata.name: name it")
	}
	wave := 0
	if s := app.Annotations[synccommon.AnnotationSyncWave]; s != "" {
		if wave, err = strconv.Atoi(s); err != nil {
			return Child{}, false, fmt.Errorf("application %s: its %s annotation %q is not a whole number: fix it in git", app.Name, synccommon.AnnotationSyncWave, s)
		}
	}
	src := app.Spec.GetSource()
	ch = Child{
		Name:                 app.Name,
		Wave:                 wave,
		RepoURL:              src.RepoURL,
		Path:                 src.Path,
		Revision:             src.TargetRevision,
		DestinationNamespace: app.Spec.Destination.Namespace,
		Automated:            app.Spec.SyncPolicy != nil && app.Spec.SyncPolicy.Automated != nil,
	}
	if ch.Revision == "" {
		ch.Revision = "HEAD"
	}
	return ch, true, nil
}
