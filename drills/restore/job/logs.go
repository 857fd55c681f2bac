package job

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
)

const (
	// tailLines is how much of the Job's log a Result keeps.
	tailLines = 40
	// maxLine bounds one kept line.
	maxLine = 2048
)

// logSink passes the Job's log lines to the restore's log as they come and
// keeps the last ones. The pods' streams write to it at once.
type logSink struct {
	mu   sync.Mutex
	log  io.Writer
	last []string
	// streamed are the pods whose logs are being or have been read.
	streamed map[string]bool
	wg       sync.WaitGroup
}

func newLogSink(log io.Writer) *logSink {
	if log == nil {
		log = io.Discard
	}
	return &logSink{log: log, streamed: map[string]bool{}}
}

func (s *logSink) line(l string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// A log that cannot be written to must not fail the restore.
	_, _ = io.WriteString(s.log, l+"\n")
	if len(l) > maxLine {
		l = strings.ToValidUTF8(l[:maxLine], "") + "..."
	}
	s.last = append(s.last, l)
	if len(s.last) > tailLines {
		s.last = s.last[len(s.last)-tailLines:]
	}
}

// tail is the last lines, oldest first.
func (s *logSink) tail() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.last, "\n")
}

// claim marks pod as streamed; false when it already was.
func (s *logSink) claim(pod string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.streamed[pod] {
		return false
	}
	s.streamed[pod] = true
	return true
}

// follow streams a pod's log in the background, once per pod, until the
// container ends or ctx does.
func (s *logSink) follow(ctx context.Context, cs kubernetes.Interface, namespace, pod string) {
	if !s.claim(pod) {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.copy(ctx, cs, namespace, pod, true)
	}()
}

// read reads a pod's whole log now, unless it was streamed already: for a
// pod that ended before the watch saw it run.
func (s *logSink) read(ctx context.Context, cs kubernetes.Interface, namespace, pod string) {
	if s.claim(pod) {
		s.copy(ctx, cs, namespace, pod, false)
	}
}

// wait waits for the streams to end.
func (s *logSink) wait() { s.wg.Wait() }

func (s *logSink) copy(ctx context.Context, cs kubernetes.Interface, namespace, pod string, follow bool) {
	s.line(fmt.Sprintf("==> pod %s <==", pod))
	rc, err := cs.CoreV1().Pods(namespace).GetLogs(pod, &corev1.PodLogOptions{Container: ContainerName, Follow: follow}).Stream(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.line(fmt.Sprintf("(the log of pod %s could not be read: %v)", pod, err))
		}
		return
	}
	defer rc.Close()
	r := bufio.NewReader(rc)
	for {
		l, err := r.ReadString('\n')
		if l != "" {
			s.line(strings.TrimRight(l, "\r\n"))
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && ctx.Err() == nil {
				s.line(fmt.Sprintf("(the log of pod %s broke off: %v)", pod, err))
			}
			return
		}
	}
}
