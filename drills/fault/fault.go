package fault

import "errors"

type infraError struct{ err error }

func (e *infraError) Error() string { return e.err.Error() }
func (e *infraError) Unwrap() error { return e.err }

// Infra marks err as an infrastructure error. Infra(nil) is nil.
func Infra(err error) error {
	if err == nil {
		return nil
	}
	return &infraError{err: err}
}

// IsInfra reports whether err, or an error it wraps, was marked by Infra.
func IsInfra(err error) bool {
	var ie *infraError
	return errors.As(err, &ie)
}
