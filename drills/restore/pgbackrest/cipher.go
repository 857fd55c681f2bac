package pgbackrest

import (
	"fmt"
	"os"

	"github.com/restore-drill/drill/drills/fault"
)

// cipherType is the only cipher pgBackRest encrypts repositories with.
const cipherType = "aes-256-cbc"

// cipherArgs say that the repository is encrypted; the passphrase is in
// env.
func (m *method) cipherArgs() []string {
	if m.spec.CipherPassEnv == "" {
		return nil
	}
	return []string{"--repo1-cipher-type=" + cipherType}
}

// passphraseHint says where a wrong passphrase would come from.
func (m *method) passphraseHint() string {
	if m.spec.CipherPassEnv == "" {
		return ""
	}
	return ": check that " + m.spec.CipherPassEnv + " holds the repository's passphrase"
}

// env is what pgbackrest needs in its environment: the repository's
// credentials and an encrypted repository's passphrase, in the variables
// pgbackrest reads instead of its configuration file. It holds secrets:
// pass it to a process, never print it.
func (m *method) env() ([]string, error) {
	env, err := m.repo.env()
	if err != nil {
		return nil, err
	}
	if name := m.spec.CipherPassEnv; name != "" {
		pass := os.Getenv(name)
		if pass == "" {
			return nil, fault.Infra(fmt.Errorf("pgBackRest repository %s is encrypted: set the environment variable %s to its passphrase (or fix pgbackrest.encryption.passphraseEnv)", m.repo, name))
		}
		env = append(env, "PGBACKREST_REPO1_CIPHER_PASS="+pass)
	}
	return env, nil
}
