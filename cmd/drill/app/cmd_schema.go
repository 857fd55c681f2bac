package app

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

func newSchemaCommand(streams Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema (draft-07) of scenario files",
		Long: `Print the JSON Schema (draft-07) of restore-drill.io/v1alpha1 scenario files.

Editors that use yaml-language-server validate and complete scenarios with it:

  drill schema > scenario.schema.json
  # then, at the top of a scenario file:
  # yaml-language-server: $schema=./scenario.schema.json`,
		Args: exactArgs(0, "none"),
		RunE: func(*cobra.Command, []string) error {
			b, err := v1alpha1.Schema()
			if err != nil {
				return fmt.Errorf("generate the schema: %w", err)
			}
			_, err = fmt.Fprintf(streams.Out, "%s\n", b)
			return err
		},
	}
}
