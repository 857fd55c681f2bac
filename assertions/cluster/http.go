package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/scenarios"
)

const (
	// attemptTimeout bounds one GET, so that a server that accepts and
	// never answers does not use up the whole check.
	attemptTimeout = 10 * time.Second
	// maxBody is how much of an answer is read to look for the substring.
	maxBody = 1 << 20
	// shownBody is how much of an unexpected answer a message quotes.
	shownBody = 200
)

// httpCheck sends GETs until the answer is the expected one or the check's
// time is up.
//
// Every answer that is not the expected one is retried, a wrong status as
// much as a refused connection: an application that has just started
// often answers 503 or 404 until it has warmed up (its caches loaded, its
// migrations run), and the drill asks whether it serves, not whether it
// served on the first try. The last answer is what a failure reports.
// Redirects are not followed, so that a 302 can be expected.
type httpCheck struct {
	name    string
	timeout time.Duration
	spec    scenarios.HTTPCheck
	connect connector
	// open reaches a Service's pod (Service mode).
	open serviceOpener
}

// serviceOpener opens a port-forward to a ready pod behind a Service and
// port, waiting for one until ctx ends.
type serviceOpener func(ctx context.Context, cl *clients, namespace, service string, port int) (*tunnel, error)

// tunnel is an open port-forward.
type tunnel struct {
	// addr is host:port on this machine.
	addr string
	// done is closed when the forward has stopped (its pod went away).
	done  <-chan struct{}
	close func()
}

func newHTTPCheck(name string, timeout time.Duration, h scenarios.HTTPCheck, connect connector) (*httpCheck, error) {
	c := &httpCheck{name: name, timeout: timeout, spec: h, connect: connect, open: openServiceForward}
	if c.spec.Status == 0 {
		c.spec.Status = http.StatusOK
	}
	switch {
	case h.URL != "" && h.Service != "":
		return nil, fmt.Errorf("check %s: both url and service are set: keep one", name)
	case h.URL != "":
		u, err := url.Parse(h.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("check %s: url %q is not an http(s) URL: write it as http://HOST[:PORT]/PATH", name, h.URL)
		}
	case h.Service != "":
		if h.Path != "" && !strings.HasPrefix(h.Path, "/") {
			return nil, fmt.Errorf("check %s: path %q must start with /", name, h.Path)
		}
	default:
		return nil, fmt.Errorf("check %s: neither url nor service is set: say what to send the GET to", name)
	}
	return c, nil
}

func (c *httpCheck) expected() string {
	s := "status " + strconv.Itoa(c.spec.Status)
	if c.spec.BodyContains != "" {
		s += fmt.Sprintf(" (body contains %q)", c.spec.BodyContains)
	}
	return s
}

// answer is what one GET brought back.
type answer struct {
	ok       bool
	observed string
	// detail adds the start of an unexpected body, or the error.
	detail string
}

// Run sends GETs until the expected answer comes or the check's time is up.
func (c *httpCheck) Run(ctx context.Context, env assertions.ClusterEnv) assertions.Result {
	wctx, cancel := withTimeout(ctx, c.timeout)
	defer cancel()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer client.CloseIdleConnections()

	subject := "GET " + redactURL(c.spec.URL)
	reach := func(context.Context) (string, error) { return c.spec.URL, nil }
	if c.spec.Service != "" {
		cl, err := c.connect(env.Kube.Config)
		if err != nil {
			return errorResult(c.expected(), err)
		}
		subject = fmt.Sprintf("GET %s on service %s", c.path(), c.spec.Service)
		if c.spec.Port != 0 {
			subject += fmt.Sprintf(" port %d", c.spec.Port)
		}
		fw := &serviceReach{check: c, clients: cl, namespace: env.Kube.Namespace}
		defer fw.close()
		reach = fw.url
	}

	var (
		last = answer{observed: "no answer"}
		b    backoff
	)
	// An attempt cut short by the end of the wait says nothing about the
	// application: the answer before it is the one reported.
	keep := func(a answer) {
		if wctx.Err() == nil || last.detail == "" {
			last = a
		}
	}
	for {
		u, err := reach(wctx)
		if err != nil {
			keep(answer{observed: "not reached", detail: err.Error()})
		}
		if u != "" {
			a := c.get(wctx, client, u)
			if a.ok {
				return passed(c.expected(), a.observed, time.Now())
			}
			keep(a)
		}
		if !b.wait(wctx) {
			break
		}
	}
	r := endOfWait(ctx, c.timeout, subject, "answered with "+c.expected())
	r.Expected, r.Observed = c.expected(), last.observed
	if last.detail != "" {
		r.Message += "; last: " + last.observed + " (" + last.detail + ")"
	}
	return r
}

// serviceReach keeps a port-forward to a Service's pod open across
// attempts. A forward ends with its pod; the next attempt opens a new one.
type serviceReach struct {
	check     *httpCheck
	clients   *clients
	namespace string
	tn        *tunnel
}

// url is where to send the GET, through an open forward.
func (s *serviceReach) url(ctx context.Context) (string, error) {
	if s.tn != nil {
		select {
		case <-s.tn.done:
			s.close()
		default:
		}
	}
	if s.tn == nil {
		tn, err := s.check.open(ctx, s.clients, s.namespace, s.check.spec.Service, s.check.spec.Port)
		if err != nil {
			return "", err
		}
		s.tn = tn
	}
	return "http://" + s.tn.addr + s.check.path(), nil
}

func (s *serviceReach) close() {
	if s.tn != nil {
		s.tn.close()
		s.tn = nil
	}
}

func (c *httpCheck) path() string {
	if c.spec.Path == "" {
		return "/"
	}
	return c.spec.Path
}

// get sends one GET and judges the answer.
func (c *httpCheck) get(ctx context.Context, client *http.Client, u string) answer {
	ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return answer{observed: "no request", detail: err.Error()}
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{observed: "no answer", detail: describeGetError(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	a := answer{observed: "status " + strconv.Itoa(resp.StatusCode)}
	switch {
	case resp.StatusCode != c.spec.Status:
		a.detail = quoteBody(body)
	case err != nil:
		a.observed += ", body unread"
		a.detail = describeGetError(err)
	case c.spec.BodyContains != "" && !strings.Contains(string(body), c.spec.BodyContains):
		a.observed += fmt.Sprintf(", body without %q", c.spec.BodyContains)
		a.detail = quoteBody(body)
	default:
		a.ok = true
	}
	return a
}

// describeGetError drops the repeated method and URL from net/http's
// errors: the message names them once already.
func describeGetError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return shorten(err.Error())
}

func quoteBody(body []byte) string {
	if len(body) == 0 {
		return "empty body"
	}
	return fmt.Sprintf("body %q", shorten(string(body)))
}

func shorten(s string) string {
	if len(s) <= shownBody {
		return s
	}
	return strings.ToValidUTF8(s[:shownBody], "") + "..."
}

// redactURL hides a password in a URL's user info.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Redacted()
}
