package v1alpha1

import (
	"encoding/json"
	"testing"
)

func TestExpectUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Expect
		wantErr bool
	}{
		{in: `">= 1000"`, want: ">= 1000"},
		{in: `3`, want: "3"},
		{in: `2.50`, want: "2.50"}, // as written, not re-formatted
		{in: `1e3`, want: "1e3"},
		{in: `true`, wantErr: true},
		{in: `null`, want: ""},
		{in: `{}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got Expect
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Unmarshal(%s) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Unmarshal(%s) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestQuantityUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Quantity
		wantErr bool
	}{
		{in: `"8Gi"`, want: "8Gi"},
		{in: `20`, want: "20"},
		{in: `0.5`, want: "0.5"},
		{in: `true`, wantErr: true},
	}
	for _, tt := range tests {
		var got Quantity
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Unmarshal(%s) = %q, %v; want %q (error: %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
