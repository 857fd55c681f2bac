package local

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// newPassword is a per-run random password for the server's superuser.
func newPassword() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make a password for the sandbox: %w", err)
	}
	return hex.EncodeToString(b), nil
}
