package job

import (
	"context"
	"fmt"
	"io"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// Format is the Inspection's format of every job restore.
const Format = "job"

const (
	defaultLogGrace      = 10 * time.Second
	defaultDeleteTimeout = 30 * time.Second
)

// Options tune the method. The zero value is ready to use.
type Options struct {
	// NewClient builds a client for the sandbox's cluster. Default:
	// client-go's kubernetes.NewForConfig.
	NewClient func(*rest.Config) (kubernetes.Interface, error)
	// LogGrace is how long the pods' log streams may go on after the Job
	// has ended, for the last lines to arrive. Default: 10s.
	LogGrace time.Duration
	// DeleteTimeout bounds deleting the Job when the run ends before it
	// does. Default: 30s.
	DeleteTimeout time.Duration
}

type method struct {
	name string
	spec scenarios.JobRestore
	opts Options
}

// New is the job restore method of the restore called name.
func New(name string, j scenarios.JobRestore, opts Options) restore.Method {
	if opts.NewClient == nil {
		opts.NewClient = func(cfg *rest.Config) (kubernetes.Interface, error) { return kubernetes.NewForConfig(cfg) }
	}
	if opts.LogGrace <= 0 {
		opts.LogGrace = defaultLogGrace
	}
	if opts.DeleteTimeout <= 0 {
		opts.DeleteTimeout = defaultDeleteTimeout
	}
	return &method{name: name, spec: j, opts: opts}
}

// Inspect says what will run. The Job reads its backup itself, so there is
// nothing to read here; art, when the restore has a source, is the backup
// the Job is told about.
func (m *method) Inspect(ctx context.Context, art *source.Artifact) (restore.Inspection, error) {
	if err := ctx.Err(); err != nil {
		return restore.Inspection{}, err
	}
	if m.spec.Image == "" {
		return restore.Inspection{}, fmt.Errorf("restore %s: the job has no image: set job.image", m.name)
	}
	insp := restore.Inspection{Format: Format, Notes: []string{"runs image " + m.spec.Image + " as a Job in the sandbox"}}
	for _, e := range backupEnv(art) {
		insp.Notes = append(insp.Notes, fmt.Sprintf("the job is told the backup drill picked: %s=%s", e.Name, e.Value))
	}
	return insp, nil
}

// Restore runs the Job in the sandbox's namespace and waits for it.
func (m *method) Restore(ctx context.Context, sb sandbox.Sandbox, art *source.Artifact, log io.Writer) (restore.Result, error) {
	var res restore.Result
	insp, err := m.Inspect(ctx, art)
	if err != nil {
		return res, err
	}
	res.Inspection = insp
	access, err := restore.ClusterAccess(sb, m.name, "runs a Kubernetes Job")
	if err != nil {
		return res, err
	}
	cs, err := m.opts.NewClient(access.Config)
	if err != nil {
		return res, fault.Infra(fmt.Errorf("restore %s: client for %s: %w", m.name, access.Config.Host, err))
	}
	name := jobName(m.name)
	r := &run{
		cs:        cs,
		namespace: access.Namespace,
		restore:   m.name,
		opts:      m.opts,
		sink:      newLogSink(log),
	}
	deadline, _ := ctx.Deadline()
	r.job = buildJob(spec{name: name, namespace: access.Namespace, restore: m.name, job: m.spec,
		labels: access.Labels, deadline: deadline, art: art}, time.Now())
	err = r.execute(ctx)
	res.LogTail = r.sink.tail()
	if err != nil {
		return res, fmt.Errorf("restore %s: %w", m.name, err)
	}
	return res, nil
}
