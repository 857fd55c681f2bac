package app

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time: -ldflags "-X github.com/restore-drill/drill/cmd/drill/app.version=v0.1.0".
var version = ""

// Version is drill's version: the one set at build time, else the module's
// version, else "devel" with the VCS revision when the build knows it.
func Version() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}

type versionInfo struct {
	Version   string `json:"version"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

func newVersionCommand(streams Streams) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print drill's version",
		Args:  exactArgs(0, "none"),
		RunE: func(*cobra.Command, []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			v := versionInfo{Version: Version(), GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
			if output != outputText {
				return writeData(streams.Out, output, v)
			}
			_, err := fmt.Fprintf(streams.Out, "drill %s (%s, %s)\n", v.Version, v.GoVersion, v.Platform)
			return err
		},
	}
	addOutputFlag(cmd, &output)
	return cmd
}
