package v1alpha1

// Defaults of a cnpg restore.
const (
	DefaultCNPGInstances   = 1
	DefaultCNPGStorageSize = "1Gi"
	DefaultCNPGDatabase    = "app"
)

// CNPGRestore recovers a Barman Cloud backup, as CloudNativePG writes it
// to an object store, into a new CloudNativePG Cluster in the namespace
// sandbox: the Cluster is bootstrapped by recovery from the restore's s3
// source (bucket and prefix are the destinationPath), with the store's keys
// copied into a Secret of the sandbox. drill proves the WAL from the backup
// to the target is complete before it creates anything, and waits until
// the Cluster is healthy. Only in a namespace sandbox, where a
// CloudNativePG operator runs.
type CNPGRestore struct {
	// ServerName is the backups' server name: the folder under the
	// destinationPath (the backed-up Cluster's name, or its
	// barmanObjectStore.serverName). Required.
	ServerName string `json:"serverName" jsonschema:"minLength=1"`
	// Target is where recovery stops; backupID recovers that backup to its
	// end only. Default: the end of the archived WAL (latest).
	Target *RecoveryTarget `json:"target,omitempty"`
	// Instances is the number of PostgreSQL instances of the new Cluster.
	// Default: 1.
	Instances *int `json:"instances,omitempty" jsonschema:"minimum=1,maximum=9,default=1"`
	// StorageSize is the size of each instance's volume, a Kubernetes
	// quantity such as 10Gi: room for the restored data and its WAL.
	// Default: 1Gi.
	StorageSize Quantity `json:"storageSize,omitempty"`
	// ImageName is the PostgreSQL container image of the new Cluster, e.g.
	// ghcr.io/cloudnative-pg/postgresql:16.4; its major version must be the
	// backup's. Default: ghcr.io/cloudnative-pg/postgresql:MAJOR, MAJOR
	// being the backup's major version.
	ImageName string `json:"imageName,omitempty" jsonschema:"minLength=1"`
	// Plugin recovers through the Barman Cloud plugin
	// (barman-cloud.cloudnative-pg.io) and an ObjectStore that drill creates
	// in the sandbox, instead of the Cluster's built-in barmanObjectStore.
	// Default: false.
	Plugin bool `json:"plugin,omitempty"`
	// Database is the database checks read. Default: app.
	Database string `json:"database,omitempty" jsonschema:"pattern=^[a-z_][a-z0-9_]*$,maxLength=63"`
	// User is the role checks connect as: the owner of database in the
	// backup, whose password CloudNativePG resets and writes into the
	// Cluster's app Secret. Default: the superuser postgres, through the
	// Cluster's superuser Secret.
	User string `json:"user,omitempty" jsonschema:"pattern=^[a-z_][a-z0-9_]*$,maxLength=63"`
}
