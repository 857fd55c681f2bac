package scenarios

import (
	"cmp"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// convertCNPG converts a cnpg restore; path is the restore's field path.
func convertCNPG(in *v1alpha1.CNPGRestore, path string, p *problems) *CNPGRestore {
	out := &CNPGRestore{
		ServerName:  in.ServerName,
		Instances:   v1alpha1.DefaultCNPGInstances,
		StorageSize: cmp.Or(string(in.StorageSize), v1alpha1.DefaultCNPGStorageSize),
		ImageName:   in.ImageName,
		Plugin:      in.Plugin,
		Database:    cmp.Or(in.Database, v1alpha1.DefaultCNPGDatabase),
		User:        in.User,
	}
	if in.Instances != nil {
		out.Instances = *in.Instances
	}
	out.TargetTime, out.BackupID = convertRecoveryTarget(in.Target, childPath(path, "cnpg.target.time"), p)
	return out
}
