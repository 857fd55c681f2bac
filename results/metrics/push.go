package metrics

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
)

// DefaultJob is the Pushgateway job drill pushes under.
const DefaultJob = "drill"

// Pushgateway says where and how to push.
type Pushgateway struct {
	// URL is the Pushgateway's base URL, e.g. https://pushgateway:9091. A
	// user:password in it is used for basic auth and never shown.
	URL string
	// Job is the grouping key's job; DefaultJob when empty.
	Job string
	// Username and Password, when set, are sent as basic auth, each in place
	// of the URL's.
	Username, Password string
	// BearerToken, when set, is sent as an Authorization: Bearer header.
	BearerToken string
	// Client sends the request; an http.Client with a one-minute timeout
	// when nil.
	Client push.HTTPDoer
}

// Push sends s to the Pushgateway under the grouping key {job, scenario}
// with add semantics (POST): only the series s holds are replaced, so a
// failed run, which has no last success of its own, leaves the last success
// pushed before in place.
func Push(ctx context.Context, gw Pushgateway, s Snapshot) error {
	reg := prometheus.NewRegistry()
	if err := register(reg, s); err != nil {
		return fmt.Errorf("metrics of scenario %s: %w", s.Scenario, err)
	}
	if err := pushGroup(ctx, gw, map[string]string{"scenario": s.Scenario}, reg); err != nil {
		return fmt.Errorf("push the metrics of scenario %s to the Pushgateway: %w", s.Scenario, err)
	}
	return nil
}

// pushGroup sends what reg gathers to the group {job} plus grouping with add
// semantics (POST).
func pushGroup(ctx context.Context, gw Pushgateway, grouping map[string]string, reg prometheus.Gatherer) error {
	base, user, password, err := splitCredentials(gw.URL)
	if err != nil {
		return err
	}
	// Each given part wins over the URL's, so that the user can be in the
	// URL and only the password in the environment.
	if gw.Username != "" {
		user = gw.Username
	}
	if gw.Password != "" {
		password = gw.Password
	}
	job := gw.Job
	if job == "" {
		job = DefaultJob
	}
	client := gw.Client
	if client == nil {
		client = &http.Client{Timeout: time.Minute}
	}

	p := push.New(base, job).Gatherer(reg).Client(client)
	for name, value := range grouping {
		p = p.Grouping(name, value)
	}
	if user != "" || password != "" {
		p = p.BasicAuth(user, password)
	}
	if gw.BearerToken != "" {
		p = p.Header(http.Header{"Authorization": {"Bearer " + gw.BearerToken}})
	}
	if err := p.AddContext(ctx); err != nil {
		return fmt.Errorf("%s: %w; check the URL and the credentials", base, err)
	}
	return nil
}

// splitCredentials takes user:password out of a URL, so that the URL can be
// shown in messages (the push library puts it in its errors).
func splitCredentials(raw string) (base, user, password string, err error) {
	if raw == "" {
		return "", "", "", fmt.Errorf("no Pushgateway URL given")
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		// The parse error quotes the URL, which may hold a password.
		return "", "", "", fmt.Errorf("the Pushgateway URL is not a URL; write it like https://pushgateway.example:9091")
	}
	if u.User != nil {
		user = u.User.Username()
		password, _ = u.User.Password()
		u.User = nil
	}
	return u.String(), user, password, nil
}
