package results

import (
	"math"
	"testing"
	"time"
)

func TestFormatSeconds(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0s"},
		{0.0004, "0s"},
		{0.35, "350ms"},
		{2.14, "2.1s"},
		{9.96, "10s"},
		{10.4, "10s"},
		{60, "1m"},
		{72.25, "1m12s"},
		{900, "15m"},
		{3599.6, "1h"},
		{3605, "1h"},
		{12000, "3h20m"},
		{93600, "26h"},
		{-120, "-2m"},
		{math.NaN(), "?"},
		{math.Inf(1), "?"},
	}
	for _, tt := range tests {
		if got := formatSeconds(tt.in); got != tt.want {
			t.Errorf("formatSeconds(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTrimZeroUnits(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{5 * time.Second, "5s"},
		{10 * time.Minute, "10m"},
		{time.Hour + 10*time.Minute, "1h10m"},
		{time.Hour + 5*time.Second, "1h0m5s"},
		{2 * time.Hour, "2h"},
	}
	for _, tt := range tests {
		if got := trimZeroUnits(tt.in); got != tt.want {
			t.Errorf("trimZeroUnits(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{1288490189, "1.2 GiB"},
		{5 << 40, "5.0 TiB"},
		{math.MaxInt64, "8.0 EiB"},
	}
	for _, tt := range tests {
		if got := humanBytes(tt.in); got != tt.want {
			t.Errorf("humanBytes(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name                string
		measured, objective *float64
		want                string
	}{
		{"no objective", ptr(10.0), nil, "no objective"},
		{"not measured", nil, ptr(10.0), "not met (not measured)"},
		{"under", ptr(9.0), ptr(10.0), "met"},
		{"exactly", ptr(10.0), ptr(10.0), "met"},
		{"over", ptr(1020.0), ptr(900.0), "missed by 2m"},
	}
	for _, tt := range tests {
		if got := judge(tt.measured, tt.objective); got != tt.want {
			t.Errorf("%s: judge = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"text pipe", mdText, "a|b", `a\|b`},
		{"text html", mdText, "<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},
		{"text emphasis and links", mdText, "*a* _b_ [c]", `\*a\* \_b\_ \[c\]`},
		{"text backslash", mdText, `C:\x`, `C:\\x`},
		{"text newline", mdText, "a\nb\n", "a b"},
		{"code empty", mdCode, "", ""},
		{"code plain", mdCode, ">= 1000", "`>= 1000`"},
		{"code pipe", mdCode, "a|b", "`a\\|b`"},
		{"code backtick inside", mdCode, "a`b", "``a`b``"},
		{"code backtick at edge", mdCode, "`a", "`` `a ``"},
		{"code newline", mdCode, "a\nb", "`a b`"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestXMLSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\ttext\r\n", "plain\ttext\r\n"},
		{"\x1b[31mred\x1b[0m", "[31mred[0m"},
		{"nul\x00here", "nulhere"},
		{"ünïcode ✅", "ünïcode ✅"},
	}
	for _, tt := range tests {
		if got := xmlSafe(tt.in); got != tt.want {
			t.Errorf("xmlSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
