package scenarios

import "github.com/restore-drill/drill/scenarios/v1alpha1"

// convertPgBackRestEncryption is the variable holding an encrypted
// repository's passphrase; empty for a plain repository. An encryption
// without its variable is reported: read as plain, the repository would
// only fail later, less clearly.
func convertPgBackRestEncryption(in *v1alpha1.PgBackRestEncryption, path string, p *problems) string {
	if in == nil {
		return ""
	}
	if in.PassphraseEnv == "" {
		p.report(path, "is required: the environment variable holding the repository's passphrase (repo1-cipher-pass)")
	}
	return in.PassphraseEnv
}
