package argocd

import (
	"errors"
	"testing"

	"github.com/restore-drill/drill/drills/fault"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Which answers of Argo CD mean the drill could not be carried out (exit 3)
// and which are the app's own failure.
func TestAPIErrorMarksInfrastructure(t *testing.T) {
	for code, infra := range map[codes.Code]bool{
		codes.Unavailable:      true,
		codes.Unauthenticated:  true,
		codes.PermissionDenied: true,
		codes.InvalidArgument:  false, // an invalid spec: the app's path does not exist
		codes.NotFound:         false,
	} {
		cause := status.Error(code, "x")
		err := apiError(cause, "create Argo CD application a", Options{ServerAddr: "argocd.example:443"})
		if fault.IsInfra(err) != infra || !errors.Is(err, cause) {
			t.Errorf("%s: infra %v (%v), want %v and the cause wrapped", code, fault.IsInfra(err), err, infra)
		}
	}
}
