package scenarios

import "time"

// CNPGRestore recovers a Barman Cloud backup into a new CloudNativePG
// Cluster in a cluster sandbox, bootstrapped by recovery from the
// restore's s3 source (bucket and prefix are the destinationPath). At most
// one of TargetTime and BackupID is set; neither means the end of the
// archived WAL.
type CNPGRestore struct {
	ServerName string
	TargetTime time.Time
	BackupID   string
	// Instances of the new Cluster. Defaulted to 1.
	Instances int
	// StorageSize of each instance's volume. Defaulted to 1Gi.
	StorageSize string
	// ImageName is the PostgreSQL image; empty lets the method choose one
	// of the backup's major version.
	ImageName string
	// Plugin recovers through the Barman Cloud plugin's ObjectStore instead
	// of the Cluster's barmanObjectStore.
	Plugin bool
	// Database is the database checks read. Defaulted to app.
	Database string
	// User is the database's owner that checks connect as; empty means the
	// superuser postgres.
	User string
}
