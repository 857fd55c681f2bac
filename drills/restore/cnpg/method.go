package cnpg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/restore/barman"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// Format is the Inspection's format of every cnpg restore.
const Format = "cnpg"

// DefaultImageRepository is where the PostgreSQL image of the backup's major
// version is taken from when the scenario names none.
const DefaultImageRepository = "ghcr.io/cloudnative-pg/postgresql"

// Options tune the method. The zero value is ready to use.
type Options struct {
	// NewClient and NewDynamic build clients for the sandbox's cluster.
	// Default: client-go's kubernetes.NewForConfig and dynamic.NewForConfig.
	NewClient  func(*rest.Config) (kubernetes.Interface, error)
	NewDynamic func(*rest.Config) (dynamic.Interface, error)
}

type method struct {
	name    string
	spec    *scenarios.CNPGRestore
	src     scenarios.Source
	opts    Options
	catalog restore.Method // the barman method: chooses and proves the backup
	keys    func(scenarios.S3Credentials) (keys, error)

	backupID string
	insp     restore.Inspection
}

// New is the cnpg restore method of the restore called name, reading src
// (an s3 source: bucket and prefix are the destinationPath).
func New(name string, spec *scenarios.CNPGRestore, src scenarios.Source, opts Options) restore.Method {
	if opts.NewClient == nil {
		opts.NewClient = func(c *rest.Config) (kubernetes.Interface, error) { return kubernetes.NewForConfig(c) }
	}
	if opts.NewDynamic == nil {
		opts.NewDynamic = func(c *rest.Config) (dynamic.Interface, error) { return dynamic.NewForConfig(c) }
	}
	b := &scenarios.BarmanRestore{ServerName: spec.ServerName, TargetTime: spec.TargetTime, BackupID: spec.BackupID, Database: spec.Database}
	return &method{name: name, spec: spec, src: src, opts: opts, catalog: barman.New(name, b, src), keys: readKeys}
}

var (
	_ restore.Method  = (*method)(nil)
	_ restore.Locator = (*method)(nil)
)

// Locate chooses the backup the target needs and proves that the store
// holds all the WAL from it to the target, as the barman method does:
// CloudNativePG would promote at a hole in the WAL and lose every later
// commit without a word.
func (m *method) Locate(ctx context.Context, src scenarios.Source) (*source.Artifact, error) {
	art, err := m.catalog.(restore.Locator).Locate(ctx, src)
	if err != nil {
		return nil, err
	}
	insp, err := m.catalog.Inspect(ctx, art)
	if err != nil {
		return nil, err
	}
	// The key ends in base/ID/: the backup the Cluster is pinned to.
	if art.Object != nil {
		parts := strings.Split(strings.TrimSuffix(art.Object.Key, "/"), "/")
		m.backupID = parts[len(parts)-1]
	}
	m.insp = insp
	return art, nil
}

// Inspect says what Locate found and which image will run it. The data
// goes into the cluster, so neither this machine's PostgreSQL version nor
// its disk matter.
func (m *method) Inspect(ctx context.Context, art *source.Artifact) (restore.Inspection, error) {
	if m.insp.Format == "" {
		return restore.Inspection{}, errors.New("cnpg: Inspect before Locate")
	}
	insp := m.insp
	insp.Format = Format
	insp.Notes = append([]string{}, insp.Notes...)
	if img := m.image(); img != "" {
		insp.Notes = append(insp.Notes, fmt.Sprintf("a CloudNativePG Cluster %s with %d instance(s) of %s, %s each", ClusterName(m.name), m.spec.Instances, img, m.spec.StorageSize))
	}
	insp.ExactMajor, insp.RestoreBytes = 0, 0
	return insp, nil
}

// image is the scenario's image, else the image of the backup's major
// version: a physical backup runs only on its own major version.
func (m *method) image() string {
	if m.spec.ImageName != "" {
		return m.spec.ImageName
	}
	if major := m.insp.ExactMajor; major > 0 {
		return DefaultImageRepository + ":" + strconv.Itoa(major)
	}
	return ""
}

// Restore creates the Secret (and the plugin's ObjectStore) and the
// Cluster in the sandbox's namespace, and watches the Cluster until it is
// healthy. A Cluster the operator gives up on, or whose recovery Job
// fails, fails the restore at once; when ctx ends first, the error says
// what the Cluster's status was. What was created stays for diagnostics
// until the namespace is removed.
func (m *method) Restore(ctx context.Context, sb sandbox.Sandbox, art *source.Artifact, log io.Writer) (restore.Result, error) {
	res := restore.Result{Database: m.spec.Database}
	insp, err := m.Inspect(ctx, art)
	if err != nil {
		return res, err
	}
	res.Inspection = insp
	access, err := restore.ClusterAccess(sb, m.name, "creates a CloudNativePG Cluster")
	if err != nil {
		return res, err
	}
	if m.src.S3 == nil {
		return res, fmt.Errorf("restore %s: cnpg reads an object store: set source.s3", m.name)
	}
	k, err := m.keys(m.src.S3.Credentials)
	if err != nil {
		return res, err
	}
	if m.src.S3.CAFile != "" {
		if k.CA, err = os.ReadFile(m.src.S3.CAFile); err != nil {
			return res, fmt.Errorf("restore %s: read the store's CA file: %w: fix source.s3.tls.caFile", m.name, err)
		}
	}
	cs, err := m.opts.NewClient(access.Config)
	if err != nil {
		return res, fault.Infra(fmt.Errorf("restore %s: client for %s: %w", m.name, access.Config.Host, err))
	}
	dyn, err := m.opts.NewDynamic(access.Config)
	if err != nil {
		return res, fault.Infra(fmt.Errorf("restore %s: client for %s: %w", m.name, access.Config.Host, err))
	}
	p := plan{restore: m.name, namespace: access.Namespace, labels: access.Labels, spec: m.spec, src: m.src.S3, backupID: m.backupID, image: m.image()}
	r := &run{cs: cs, dyn: dyn, plan: p, log: log}
	if err := r.create(ctx, k); err != nil {
		return res, fmt.Errorf("restore %s: %w", m.name, err)
	}
	started := time.Now()
	if err := r.wait(ctx); err != nil {
		return res, fmt.Errorf("restore %s: %w", m.name, err)
	}
	fmt.Fprintf(log, "cluster %s is healthy after %s\n", p.cluster(), time.Since(started).Round(time.Second))
	return res, nil
}

// readKeys reads the store's keys as the s3 source does.
func readKeys(c scenarios.S3Credentials) (keys, error) {
	v, err := source.S3Keys(c)
	if err != nil {
		return keys{}, err
	}
	return keys{AccessKeyID: v.AccessKeyID, SecretAccessKey: v.SecretAccessKey, SessionToken: v.SessionToken}, nil
}
