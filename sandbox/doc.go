// Package sandbox defines the throwaway place a drill restores into. Each kind
// (local today; namespace and kind clusters later) implements Provider in its
// own sub-package. Everything a sandbox creates carries the run id, so that a
// sweep can find it after a crash, and Destroy is safe to call twice.
package sandbox
