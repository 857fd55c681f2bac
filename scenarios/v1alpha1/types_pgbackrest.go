package v1alpha1

// PgBackRestEncryption reads a repository that pgBackRest encrypts
// (repo1-cipher-type=aes-256-cbc, the only cipher it has). The passphrase
// reaches pgbackrest, and the recovered server's archive-get, through their
// environment only: never a command line, a file or the record.
type PgBackRestEncryption struct {
	// PassphraseEnv names the environment variable holding the
	// repository's passphrase (its repo1-cipher-pass), e.g.
	// PGBACKREST_CIPHER_PASS. Required.
	PassphraseEnv string `json:"passphraseEnv" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$"`
}
