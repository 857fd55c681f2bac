package bootstrap

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"

	"github.com/argoproj/argo-cd/v2/common"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
)

// registerRepositories makes one Secret per repository in Argo CD's
// namespace, in the form Argo CD's util/db reads.
func (p *platform) registerRepositories(ctx context.Context, c *clients, access sandbox.KubeAccess, progress io.Writer) (gitops.Result, error) {
	for _, r := range p.opts.Repositories {
		s := repositorySecret(p.opts.Namespace, access.Labels, r)
		p.mu.Lock()
		p.secrets = append(p.secrets, s.Name)
		p.mu.Unlock()
		if _, err := c.kube.CoreV1().Secrets(p.opts.Namespace).Create(ctx, s, metav1.CreateOptions{}); err != nil {
			return gitops.Result{}, apiError(fmt.Errorf("register the credentials of repository %s as Secret %s/%s: %w", r.URL, p.opts.Namespace, s.Name, err))
		}
		fmt.Fprintf(progress, "bootstrap: credentials of %s registered (%s %s)\n", r.URL, s.Labels[common.LabelKeySecretType], s.Name)
	}
	n := len(p.opts.Repositories)
	return gitops.Result{Kind: kindArgoCD, Resources: n, Detail: fmt.Sprintf("%d repository credential(s) registered", n)}, nil
}

// repositorySecret is Argo CD's repository (or, with Prefix, repo-creds)
// Secret: keys url, type, username, password, sshPrivateKey, insecure, as
// util/db's secretToRepository and secretToRepoCred read them. Its name is
// a hash of the run and the URL: unique per run, and never a secret.
func repositorySecret(namespace string, labels map[string]string, r Repository) *corev1.Secret {
	secretType := common.LabelValueSecretTypeRepository
	if r.Prefix {
		secretType = common.LabelValueSecretTypeRepoCreds
	}
	repoType := r.Type
	if repoType == "" {
		repoType = "git"
	}
	sum := sha256.Sum256([]byte(labels[kube.LabelRunID] + "\n" + secretType + "\n" + r.URL))
	l := maps.Clone(labels)
	if l == nil {
		l = map[string]string{}
	}
	l[common.LabelKeySecretType] = secretType
	data := map[string][]byte{"url": []byte(r.URL), "type": []byte(repoType)}
	set := func(key, value string) {
		if value != "" {
			data[key] = []byte(value)
		}
	}
	set("username", r.Username)
	set("password", r.Password)
	set("sshPrivateKey", r.SSHPrivateKey)
	if r.Insecure {
		data["insecure"] = []byte("true")
	}
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{
			Name:      "drill-" + secretType + "-" + hex.EncodeToString(sum[:])[:12],
			Namespace: namespace,
			Labels:    l,
		},
		Type: corev1.SecretTypeOpaque,
		Data: data,
	}
}
