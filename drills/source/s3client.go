package source

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"os"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/scenarios"
)

// maxRetries bounds the client's own retries: an unreachable store must fail
// the drill in seconds, not after minutes of backoff.
const maxRetries = 3

// newS3Client builds a client for one source. The keys are read here, from
// where the scenario says, and live only inside the client.
func newS3Client(cfg *scenarios.S3Source) (*minio.Client, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("s3 endpoint %q is not a URL: write e.g. https://s3.eu-west-1.amazonaws.com", cfg.Endpoint)
	}
	secure := u.Scheme == "https"
	creds, err := s3Credentials(cfg.Credentials)
	if err != nil {
		return nil, fault.Infra(err)
	}
	transport, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("s3 client for %s: %w", cfg.Endpoint, err))
	}
	if secure {
		tc, err := tlsConfig(cfg)
		if err != nil {
			return nil, fault.Infra(err)
		}
		transport.TLSClientConfig = tc
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds:        creds,
		Secure:       secure,
		Transport:    transport,
		Region:       cfg.Region,
		BucketLookup: lookup,
		MaxRetries:   maxRetries,
	})
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("s3 client for %s: %w", cfg.Endpoint, err))
	}
	return client, nil
}

// s3Credentials reads the keys from a credentials file or from environment
// variables. Errors name where the keys were looked for, never a key.
func s3Credentials(c scenarios.S3Credentials) (*credentials.Credentials, error) {
	if c.File != "" {
		if _, err := os.Stat(c.File); err != nil {
			return nil, fmt.Errorf("s3 credentials file: %w: create it or fix source.s3.credentials.file", err)
		}
		creds := credentials.NewFileAWSCredentials(c.File, c.Profile)
		if _, err := creds.Get(); err != nil {
			return nil, fmt.Errorf("s3 credentials file %s, profile %s: %w", c.File, c.Profile, err)
		}
		return creds, nil
	}
	id, idSet := os.LookupEnv(c.AccessKeyIDEnv)
	secret, secretSet := os.LookupEnv(c.SecretAccessKeyEnv)
	if !idSet || id == "" || !secretSet || secret == "" {
		return nil, fmt.Errorf("s3 credentials: set the environment variables %s and %s (or name others, or a file, in source.s3.credentials)", c.AccessKeyIDEnv, c.SecretAccessKeyEnv)
	}
	token := ""
	if c.SessionTokenEnv != "" {
		token = os.Getenv(c.SessionTokenEnv)
	}
	return credentials.NewStaticV4(id, secret, token), nil
}

// tlsConfig trusts the system's authorities plus the source's CA file.
func tlsConfig(cfg *scenarios.S3Source) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.InsecureSkipVerify {
		tc.InsecureSkipVerify = true // asked for explicitly, for tests
		return tc, nil
	}
	if cfg.CAFile == "" {
		return tc, nil
	}
	pem, err := os.ReadFile(cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("s3 CA file: %w: fix source.s3.tls.caFile", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("s3 CA file %s holds no PEM certificate: fix source.s3.tls.caFile", cfg.CAFile)
	}
	tc.RootCAs = pool
	return tc, nil
}

// S3Client is a client of the source's object store, for restore methods
// that read more than one object (a base backup and its WAL).
func S3Client(cfg *scenarios.S3Source) (*minio.Client, error) { return newS3Client(cfg) }

// S3Error explains an object store error as the source does: marked as an
// infrastructure fault, naming what was done and never a key.
func S3Error(ctx context.Context, cfg *scenarios.S3Source, what string, err error) error {
	return storeError(ctx, cfg, what, err)
}

// S3Env is the environment that gives an AWS client (barman-cloud, boto3)
// the source's credentials. It holds secrets: pass it to a process, never
// print it.
func S3Env(c scenarios.S3Credentials) ([]string, error) {
	if c.File != "" {
		return []string{"AWS_SHARED_CREDENTIALS_FILE=" + c.File, "AWS_PROFILE=" + c.Profile}, nil
	}
	id, secret := os.Getenv(c.AccessKeyIDEnv), os.Getenv(c.SecretAccessKeyEnv)
	if id == "" || secret == "" {
		return nil, fault.Infra(fmt.Errorf("s3 credentials: set the environment variables %s and %s", c.AccessKeyIDEnv, c.SecretAccessKeyEnv))
	}
	env := []string{"AWS_ACCESS_KEY_ID=" + id, "AWS_SECRET_ACCESS_KEY=" + secret}
	if tok := os.Getenv(c.SessionTokenEnv); c.SessionTokenEnv != "" && tok != "" {
		env = append(env, "AWS_SESSION_TOKEN="+tok)
	}
	return env, nil
}

// S3Keys reads the source's access keys from where its credentials say,
// for a restore method that hands them on (a Secret for an in-cluster
// recovery). They are secrets: never print them.
func S3Keys(c scenarios.S3Credentials) (credentials.Value, error) {
	creds, err := s3Credentials(c)
	if err != nil {
		return credentials.Value{}, fault.Infra(err)
	}
	v, err := creds.Get()
	if err != nil {
		return credentials.Value{}, fault.Infra(fmt.Errorf("s3 credentials: %w", err))
	}
	return v, nil
}
