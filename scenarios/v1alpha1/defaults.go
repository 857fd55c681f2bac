package v1alpha1

// Defaults for fields a scenario leaves out.
const (
	DefaultTimeout      Duration = "1h"
	DefaultCheckTimeout Duration = "5m"
	DefaultJobs                  = 1

	DefaultS3Endpoint         = "https://s3.amazonaws.com"
	DefaultAccessKeyIDEnv     = "AWS_ACCESS_KEY_ID"
	DefaultSecretAccessKeyEnv = "AWS_SECRET_ACCESS_KEY"
	DefaultSessionTokenEnv    = "AWS_SESSION_TOKEN"
	DefaultCredentialsProfile = "default"
)

// SetDefaults fills in every field the scenario leaves out with its
// documented default. Fields that are set, even to invalid values, are left
// alone so that validation can report them.
func SetDefaults(s *Scenario) {
	if s.Spec.Timeout == "" {
		s.Spec.Timeout = DefaultTimeout
	}
	for i := range s.Spec.Restores {
		if pg := s.Spec.Restores[i].Postgres; pg != nil && pg.Jobs == nil {
			jobs := DefaultJobs
			pg.Jobs = &jobs
		}
	}
	for i := range s.Spec.Checks {
		if s.Spec.Checks[i].Timeout == "" {
			s.Spec.Checks[i].Timeout = DefaultCheckTimeout
		}
	}
}
