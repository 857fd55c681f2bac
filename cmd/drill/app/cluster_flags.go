package app

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// clusterFlags reach a cluster and its Argo CD, as kubectl and the argocd
// command line do. The Argo CD token is never a flag: a flag's value shows
// in the process list.
type clusterFlags struct {
	kubeconfig string
	context    string
	retain     bool

	argoServer      string
	argoTokenFile   string
	argoPlainText   bool
	argoInsecure    bool
	argoGRPCWeb     bool
	argoPortForward bool
	argoNamespace   string
}

func addKubeFlags(cmd *cobra.Command, f *clusterFlags) {
	cmd.Flags().StringVar(&f.kubeconfig, "kubeconfig", "", "kubeconfig file of the cluster (default: KUBECONFIG, then ~/.kube/config)")
	cmd.Flags().StringVar(&f.context, "context", "", "kubeconfig context to use (default: the current context)")
}

func addClusterFlags(cmd *cobra.Command, f *clusterFlags) {
	addKubeFlags(cmd, f)
	cmd.Flags().BoolVar(&f.retain, "retain", false, "keep the cluster sandbox (namespace, apps) of a run that did not pass, for debugging; drill cleanup --run RUN_ID removes it")
	cmd.Flags().StringVar(&f.argoServer, "argocd-server", os.Getenv("ARGOCD_SERVER"), "Argo CD API server, host:port (default: ARGOCD_SERVER)")
	cmd.Flags().StringVar(&f.argoTokenFile, "argocd-auth-token-file", "", "file holding the Argo CD token (default: the ARGOCD_AUTH_TOKEN environment variable)")
	cmd.Flags().BoolVar(&f.argoPlainText, "argocd-plaintext", false, "talk to Argo CD without TLS")
	cmd.Flags().BoolVar(&f.argoInsecure, "argocd-insecure", false, "accept any certificate from Argo CD (tests only)")
	cmd.Flags().BoolVar(&f.argoGRPCWeb, "argocd-grpc-web", false, "use gRPC-Web, for an Argo CD behind a proxy without HTTP/2")
	cmd.Flags().BoolVar(&f.argoPortForward, "argocd-port-forward", false, "reach argocd-server through a port-forward with the kubeconfig, instead of --argocd-server")
	cmd.Flags().StringVar(&f.argoNamespace, "argocd-namespace", "argocd", "the namespace Argo CD runs in (Applications and AppProjects go there)")
}

// argoToken reads the Argo CD token from the file named, or from
// ARGOCD_AUTH_TOKEN (the argocd command line's variable).
func (f *clusterFlags) argoToken() (string, error) {
	if f.argoTokenFile == "" {
		return os.Getenv("ARGOCD_AUTH_TOKEN"), nil
	}
	b, err := os.ReadFile(f.argoTokenFile)
	if err != nil {
		return "", usageError{fmt.Errorf("read the Argo CD token: %w", err)}
	}
	return strings.TrimSpace(string(b)), nil
}
