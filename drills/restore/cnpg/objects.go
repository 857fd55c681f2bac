package cnpg

import (
	"maps"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/restore-drill/drill/scenarios"
	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// The kinds this method creates besides Secrets.
var (
	ClusterGVR     = schema.GroupVersionResource{Group: "postgresql.cnpg.io", Version: "v1", Resource: "clusters"}
	ObjectStoreGVR = schema.GroupVersionResource{Group: "barmancloud.cnpg.io", Version: "v1", Resource: "objectstores"}
)

// PluginName is the Barman Cloud plugin's name in a Cluster's spec.
const PluginName = "barman-cloud.cloudnative-pg.io"

// LabelRestore names the restore an object belongs to, beside the run's
// labels.
const LabelRestore = "restore-drill.io/restore"

// Keys of the Secret drill makes, as CloudNativePG's examples name them.
const (
	keyAccessKeyID  = "ACCESS_KEY_ID"
	keySecretKey    = "ACCESS_SECRET_KEY"
	keySessionToken = "ACCESS_SESSION_TOKEN"
	keyRegion       = "ACCESS_REGION"
	keyCA           = "ca.crt"
)

// keys are what the Secret holds: never printed.
type keys struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	// CA is the store's extra certificate authorities (PEM), if any.
	CA []byte
}

// plan is everything the objects are built from.
type plan struct {
	restore   string
	namespace string
	labels    map[string]string
	spec      *scenarios.CNPGRestore
	src       *scenarios.S3Source
	// backupID is the backup Locate chose and proved; empty when unknown.
	backupID string
	// image is the PostgreSQL image; empty leaves the operator's default.
	image string
}

func (p plan) cluster() string { return ClusterName(p.restore) }

func (p plan) objectLabels() map[string]string {
	l := maps.Clone(p.labels)
	if l == nil {
		l = map[string]string{}
	}
	l[LabelRestore] = p.restore
	return l
}

// secret holds the store's keys for the Cluster, labelled with the run.
func (p plan) secret(k keys) *corev1.Secret {
	data := map[string][]byte{
		keyAccessKeyID: []byte(k.AccessKeyID),
		keySecretKey:   []byte(k.SecretAccessKey),
	}
	if k.SessionToken != "" {
		data[keySessionToken] = []byte(k.SessionToken)
	}
	if p.src.Region != "" {
		data[keyRegion] = []byte(p.src.Region)
	}
	if len(k.CA) > 0 {
		data[keyCA] = k.CA
	}
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: secretName(p.cluster()), Namespace: p.namespace, Labels: p.objectLabels()},
		Type:       corev1.SecretTypeOpaque,
		Data:       data,
	}
}

// destinationPath is s3://BUCKET/PREFIX, as Barman Cloud takes it.
func (p plan) destinationPath() string {
	return "s3://" + p.src.Bucket + "/" + strings.Trim(p.src.Prefix, "/")
}

// store is the object store's configuration as both barmanObjectStore and
// the plugin's ObjectStore spell it; withToken and withCA say which keys
// the Secret has.
func (p plan) store(withToken, withCA bool) map[string]any {
	sec := secretName(p.cluster())
	ref := func(key string) map[string]any { return map[string]any{"name": sec, "key": key} }
	creds := map[string]any{"accessKeyId": ref(keyAccessKeyID), "secretAccessKey": ref(keySecretKey)}
	if withToken {
		creds["sessionToken"] = ref(keySessionToken)
	}
	if p.src.Region != "" {
		creds["region"] = ref(keyRegion)
	}
	s := map[string]any{"destinationPath": p.destinationPath(), "s3Credentials": creds}
	if p.src.Endpoint != "" && p.src.Endpoint != v1alpha1.DefaultS3Endpoint {
		s["endpointURL"] = p.src.Endpoint
	}
	if withCA {
		s["endpointCA"] = ref(keyCA)
	}
	return s
}

// recoveryTarget pins the backup drill proved and, for a time, the time;
// a backupID target stops as soon as that backup is consistent.
func (p plan) recoveryTarget() map[string]any {
	t := map[string]any{}
	if p.backupID != "" {
		t["backupID"] = p.backupID
	}
	switch {
	case !p.spec.TargetTime.IsZero():
		t["targetTime"] = p.spec.TargetTime.UTC().Format(time.RFC3339)
	case p.spec.BackupID != "":
		t["backupID"] = p.spec.BackupID
		t["targetImmediate"] = true
	}
	return t
}

// clusterObject is the Cluster: one recovery from the external cluster
// "origin", which reads the store through barmanObjectStore or the plugin.
func (p plan) clusterObject(withToken, withCA bool) *unstructured.Unstructured {
	origin := map[string]any{"name": externalName}
	if p.spec.Plugin {
		origin["plugin"] = map[string]any{
			"name": PluginName,
			"parameters": map[string]any{
				"barmanObjectName": objectStoreName(p.cluster()),
				"serverName":       p.spec.ServerName,
			},
		}
	} else {
		bos := p.store(withToken, withCA)
		bos["serverName"] = p.spec.ServerName
		origin["barmanObjectStore"] = bos
	}
	recovery := map[string]any{"source": externalName}
	if t := p.recoveryTarget(); len(t) > 0 {
		recovery["recoveryTarget"] = t
	}
	if p.spec.User != "" {
		// CloudNativePG gives the owner a new password, in NAME-app.
		recovery["database"] = p.spec.Database
		recovery["owner"] = p.spec.User
	}
	spec := map[string]any{
		"instances":             int64(p.spec.Instances),
		"enableSuperuserAccess": true,
		"storage":               map[string]any{"size": p.spec.StorageSize},
		"bootstrap":             map[string]any{"recovery": recovery},
		"externalClusters":      []any{origin},
	}
	if p.image != "" {
		spec["imageName"] = p.image
	}
	u := &unstructured.Unstructured{Object: map[string]any{"spec": spec}}
	u.SetAPIVersion(ClusterGVR.GroupVersion().String())
	u.SetKind("Cluster")
	u.SetName(p.cluster())
	u.SetNamespace(p.namespace)
	u.SetLabels(p.objectLabels())
	return u
}

// objectStore is the Barman Cloud plugin's ObjectStore the Cluster reads
// through when spec.Plugin is set.
func (p plan) objectStore(withToken, withCA bool) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{
		"spec": map[string]any{"configuration": p.store(withToken, withCA)},
	}}
	u.SetAPIVersion(ObjectStoreGVR.GroupVersion().String())
	u.SetKind("ObjectStore")
	u.SetName(objectStoreName(p.cluster()))
	u.SetNamespace(p.namespace)
	u.SetLabels(p.objectLabels())
	return u
}
