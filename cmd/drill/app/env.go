package app

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagsFromEnv sets every flag the command line left alone from DRILL_<NAME>
// (upper case, dashes as underscores), so a CI job can configure drill
// through its environment. A flag given on the command line wins.
func flagsFromEnv(cmd *cobra.Command, lookup func(string) (string, bool)) error {
	var errs []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || f.Name == "help" {
			return
		}
		key := "DRILL_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := lookup(key); ok {
			if err := cmd.Flags().Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Sprintf("%s=%q: %v", key, v, err))
			}
		}
	})
	if len(errs) > 0 {
		return usageError{fmt.Errorf("invalid environment: %s", strings.Join(errs, "; "))}
	}
	return nil
}

// exactArgs is cobra.ExactArgs with an error that maps to the usage exit code
// and says what the argument is.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("%s takes %d argument (%s), got %d; see %s --help", cmd.CommandPath(), n, what, len(args), cmd.CommandPath())}
		}
		return nil
	}
}

// minArgs is cobra.MinimumNArgs with a usage error.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageError{fmt.Errorf("%s needs at least %d argument (%s); see %s --help", cmd.CommandPath(), n, what, cmd.CommandPath())}
		}
		return nil
	}
}
