package cnpg

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/restore-drill/drill/scenarios"
)

const (
	testKeyID  = "AKIDTESTKEYID"
	testSecret = "s3cr3t-never-printed"
	testToken  = "token-never-printed"
)

func testPlan(change func(*scenarios.CNPGRestore, *scenarios.S3Source)) plan {
	spec := &scenarios.CNPGRestore{ServerName: "billing-db", Instances: 1, StorageSize: "1Gi", Database: "app"}
	src := &scenarios.S3Source{Endpoint: "https://s3.amazonaws.com", Bucket: "backups", Prefix: "cnpg/"}
	if change != nil {
		change(spec, src)
	}
	return plan{
		restore: "billing", namespace: "drill-x-1234", spec: spec, src: src,
		labels:   map[string]string{"restore-drill.io/run-id": "run-1"},
		backupID: "20261127T010000", image: "ghcr.io/cloudnative-pg/postgresql:15",
	}
}

func nested(t *testing.T, u *unstructured.Unstructured, path ...string) any {
	t.Helper()
	v, found, err := unstructured.NestedFieldNoCopy(u.Object, path...)
	if err != nil || !found {
		return nil
	}
	return v
}

// TestClusterObject checks the generated Cluster's content field by field.
func TestClusterObject(t *testing.T) {
	tests := []struct {
		name             string
		change           func(*scenarios.CNPGRestore, *scenarios.S3Source)
		withToken, useCA bool
		want             map[string]any // path joined by "." → value; nil means absent
	}{
		{
			name: "latest from AWS",
			want: map[string]any{
				"apiVersion":                             "postgresql.cnpg.io/v1",
				"kind":                                   "Cluster",
				"metadata.name":                          "billing",
				"metadata.namespace":                     "drill-x-1234",
				"spec.instances":                         int64(1),
				"spec.imageName":                         "ghcr.io/cloudnative-pg/postgresql:15",
				"spec.enableSuperuserAccess":             true,
				"spec.storage.size":                      "1Gi",
				"spec.bootstrap.recovery.source":         "origin",
				"spec.bootstrap.recovery.recoveryTarget": map[string]any{"backupID": "20261127T010000"},
				"spec.bootstrap.recovery.database":       nil,
				"spec.bootstrap.recovery.owner":          nil,
			},
		},
		{
			name: "time target, app owner, more instances",
			change: func(c *scenarios.CNPGRestore, _ *scenarios.S3Source) {
				c.TargetTime = time.Date(2026, 11, 27, 3, 0, 0, 0, time.FixedZone("CET", 3600))
				c.User, c.Database, c.Instances, c.StorageSize = "billing_app", "billing", 3, "20Gi"
			},
			want: map[string]any{
				"spec.instances":                         int64(3),
				"spec.storage.size":                      "20Gi",
				"spec.bootstrap.recovery.recoveryTarget": map[string]any{"backupID": "20261127T010000", "targetTime": "2026-11-27T02:00:00Z"},
				"spec.bootstrap.recovery.database":       "billing",
				"spec.bootstrap.recovery.owner":          "billing_app",
			},
		},
		{
			name:   "backup id stops at the backup's end",
			change: func(c *scenarios.CNPGRestore, _ *scenarios.S3Source) { c.BackupID = "20261127T010000" },
			want: map[string]any{
				"spec.bootstrap.recovery.recoveryTarget": map[string]any{"backupID": "20261127T010000", "targetImmediate": true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := testPlan(tt.change).clusterObject(tt.withToken, tt.useCA)
			for path, want := range tt.want {
				if got := nested(t, u, strings.Split(path, ".")...); !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", path, got, want)
				}
			}
			if got := u.GetLabels(); got["restore-drill.io/run-id"] != "run-1" || got[LabelRestore] != "billing" {
				t.Errorf("labels = %v, want the run's and the restore's", got)
			}
		})
	}
}

// TestExternalCluster checks how the Cluster reaches the store: the
// built-in barmanObjectStore with the Secret's keys, or the plugin.
func TestExternalCluster(t *testing.T) {
	ref := func(key string) map[string]any { return map[string]any{"name": "billing-drill-s3", "key": key} }
	t.Run("barmanObjectStore", func(t *testing.T) {
		p := testPlan(func(_ *scenarios.CNPGRestore, s *scenarios.S3Source) {
			s.Endpoint, s.Region, s.Prefix = "https://objects.example.com:9000", "eu-west-1", "cnpg/prod/"
		})
		ext := nested(t, p.clusterObject(true, true), "spec", "externalClusters").([]any)
		want := []any{map[string]any{
			"name": "origin",
			"barmanObjectStore": map[string]any{
				"destinationPath": "s3://backups/cnpg/prod",
				"endpointURL":     "https://objects.example.com:9000",
				"endpointCA":      ref("ca.crt"),
				"serverName":      "billing-db",
				"s3Credentials": map[string]any{
					"accessKeyId":     ref("ACCESS_KEY_ID"),
					"secretAccessKey": ref("ACCESS_SECRET_KEY"),
					"sessionToken":    ref("ACCESS_SESSION_TOKEN"),
					"region":          ref("ACCESS_REGION"),
				},
			},
		}}
		if !reflect.DeepEqual(ext, want) {
			t.Errorf("externalClusters =\n%#v\nwant\n%#v", ext, want)
		}
	})
	t.Run("AWS needs no endpoint", func(t *testing.T) {
		bos := nested(t, testPlan(nil).clusterObject(false, false), "spec", "externalClusters").([]any)[0].(map[string]any)["barmanObjectStore"].(map[string]any)
		for _, absent := range []string{"endpointURL", "endpointCA"} {
			if v, ok := bos[absent]; ok {
				t.Errorf("%s = %v, want it left out", absent, v)
			}
		}
		if creds := bos["s3Credentials"].(map[string]any); creds["sessionToken"] != nil || creds["region"] != nil {
			t.Errorf("s3Credentials = %v, want no sessionToken or region", creds)
		}
	})
	t.Run("plugin", func(t *testing.T) {
		p := testPlan(func(c *scenarios.CNPGRestore, _ *scenarios.S3Source) { c.Plugin = true })
		ext := nested(t, p.clusterObject(false, false), "spec", "externalClusters").([]any)
		want := []any{map[string]any{"name": "origin", "plugin": map[string]any{
			"name":       "barman-cloud.cloudnative-pg.io",
			"parameters": map[string]any{"barmanObjectName": "billing-drill-store", "serverName": "billing-db"},
		}}}
		if !reflect.DeepEqual(ext, want) {
			t.Errorf("externalClusters =\n%#v\nwant\n%#v", ext, want)
		}
		store := p.objectStore(false, false)
		if store.GetKind() != "ObjectStore" || store.GetAPIVersion() != "barmancloud.cnpg.io/v1" || store.GetName() != "billing-drill-store" {
			t.Errorf("object store is %s %s %s", store.GetAPIVersion(), store.GetKind(), store.GetName())
		}
		conf := nested(t, store, "spec", "configuration").(map[string]any)
		if conf["destinationPath"] != "s3://backups/cnpg" || conf["s3Credentials"].(map[string]any)["accessKeyId"] == nil {
			t.Errorf("configuration = %v", conf)
		}
	})
}

// TestSecret checks the Secret's keys, and that the Cluster only names it.
func TestSecret(t *testing.T) {
	p := testPlan(func(_ *scenarios.CNPGRestore, s *scenarios.S3Source) { s.Region = "eu-west-1" })
	sec := p.secret(keys{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: testToken, CA: []byte("PEM")})
	want := map[string]string{"ACCESS_KEY_ID": testKeyID, "ACCESS_SECRET_KEY": testSecret, "ACCESS_SESSION_TOKEN": testToken, "ACCESS_REGION": "eu-west-1", "ca.crt": "PEM"}
	got := map[string]string{}
	for k, v := range sec.Data {
		got[k] = string(v)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("secret data = %v, want %v", got, want)
	}
	if sec.Name != "billing-drill-s3" || sec.Namespace != "drill-x-1234" || sec.Labels["restore-drill.io/run-id"] != "run-1" || sec.Labels[LabelRestore] != "billing" {
		t.Errorf("secret %s/%s labels %v", sec.Namespace, sec.Name, sec.Labels)
	}
	raw, err := json.Marshal(p.clusterObject(true, true).Object)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{testKeyID, testSecret, testToken} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the Cluster holds a key: %s", raw)
		}
	}
}

func TestClusterNameAndTarget(t *testing.T) {
	long := strings.Repeat("a", 49) + "-b-c"
	if got := ClusterName(long); len(got) > maxClusterName || strings.HasSuffix(got, "-") {
		t.Errorf("ClusterName(%q) = %q", long, got)
	}
	tg := Target("billing", &scenarios.CNPGRestore{Database: "app"})
	if tg.Service != "billing-rw" || tg.Secret != "billing-superuser" || tg.Port != 5432 || tg.User != "postgres" {
		t.Errorf("superuser target = %+v", tg)
	}
	tg = Target("billing", &scenarios.CNPGRestore{Database: "billing", User: "billing_app"})
	if tg.Secret != "billing-app" || tg.User != "billing_app" {
		t.Errorf("app target = %+v", tg)
	}
}
