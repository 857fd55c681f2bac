package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/scenarios"
)

// validation is one file's verdict, for -o json.
type validation struct {
	File     string   `json:"file"`
	Valid    bool     `json:"valid"`
	Scenario string   `json:"scenario,omitempty"`
	Errors   []string `json:"errors,omitempty"`
}

func newValidateCommand(streams Streams) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "validate SCENARIO...",
		Short: "Check scenario files without touching anything",
		Long: `Load each scenario strictly and report every problem at once, each with its
file, line and field path. Unknown fields and duplicate keys are errors.
Exit code 2 when any file is invalid.`,
		Example: `  drill validate scenarios/*.yaml
  drill validate billing.yaml -o json`,
		Args: minArgs(1, "scenario files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			var all []validation
			var errs []error
			for _, file := range args {
				v := validation{File: file, Valid: true}
				sc, err := scenarios.Load(file)
				if err != nil {
					v.Valid = false
					v.Errors = strings.Split(err.Error(), "\n")
					errs = append(errs, err)
				} else {
					v.Scenario = sc.Name
				}
				all = append(all, v)
			}
			if output != outputText {
				if err := writeData(streams.Out, output, all); err != nil {
					return err
				}
			} else {
				for _, v := range all {
					if v.Valid {
						fmt.Fprintf(streams.Out, "%s: valid (scenario %s)\n", v.File, v.Scenario)
					}
				}
			}
			return errors.Join(errs...)
		},
	}
	addOutputFlag(cmd, &output)
	return cmd
}
