// Package job is the job restore method: a container of the team's own
// choosing (GitLab's backup tool, a MySQL client, a vendor's restore script)
// runs as a Kubernetes Job in the sandbox's namespace, and the restore is
// what the Job says: it passes when the Job completes and fails when the Job
// fails. The Job's logs are copied to the restore's log as they come and
// the last lines kept with the record.
//
// The Job is watched, not polled. Failures that no retry can mend (an image
// that cannot be pulled, a Secret or key that is missing) fail the restore
// as soon as a pod reports them rather than at the timeout. When the run's
// context ends first, the Job is deleted and the context's error returned;
// the Job gets an activeDeadlineSeconds from the context's deadline as
// well, so that it stops by itself even if drill is killed.
//
// A completed Job proves the restore only as much as the Job's own command
// checks its work: add checks that read the restored data.
package job
