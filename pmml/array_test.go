package pmml

import (
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// parseArray splits the (XML-decoded) content of a PMML string Array into its
// values the way JPMML does (org.jpmml.model.ArrayUtil.parse): whitespace
// separates values, a double quote opens and closes a quoted value, and inside
// one \" is a double quote while a backslash before anything else is itself.
func parseArray(s string) ([]string, error) {
	var out []string
	var b strings.Builder
	inWord, quoted := false, false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quoted && r == '\\' && i+1 < len(rs) && rs[i+1] == '"':
			b.WriteRune('"')
			i++
		case quoted && r == '"':
			out = append(out, b.String())
			b.Reset()
			quoted = false
		case quoted:
			b.WriteRune(r)
		case r == '"':
			if inWord {
				out = append(out, b.String())
				b.Reset()
				inWord = false
			}
			quoted = true
		case unicode.IsSpace(r):
			if inWord {
				out = append(out, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		return nil, errors.New("array: unterminated quoted value")
	}
	if inWord {
		out = append(out, b.String())
	}
	return out, nil
}

// roundTrip writes values as an Array element, decodes it with encoding/xml
// and splits the content again.
func roundTrip(t *testing.T, values []string) []string {
	t.Helper()
	doc := "<Array n=\"1\" type=\"string\">" + arrayContent(values) + "</Array>"
	var a array
	if err := xml.Unmarshal([]byte(doc), &a); err != nil {
		t.Fatalf("%q: %v\n%s", values, err, doc)
	}
	got, err := parseArray(a.Text)
	if err != nil {
		t.Fatalf("%q: %v\n%s", values, err, doc)
	}
	return got
}

func TestArrayContent(t *testing.T) {
	tests := []struct {
		values []string
		want   string // exact content; expected values written by hand from PMML 4.4 Array
	}{
		{[]string{"A11", "A12"}, `"A11" "A12"`},
		{[]string{"with parents"}, `"with parents"`},
		{[]string{""}, `""`},
		{[]string{`say "hi"`}, `"say \"hi\""`},
		{[]string{`"`}, `"\""`},
		{[]string{`back\slash`}, `"back\slash"`},
		{[]string{`\"`}, `"\\""`},
		{[]string{"a & b <c>"}, `"a &amp; b &lt;c&gt;"`},
		{[]string{"]]>"}, `"]]&gt;"`},
		{[]string{"tab\tlf\ncr\r"}, `"tab&#x9;lf&#xA;cr&#xD;"`},
		{[]string{"café"}, `"café"`},
	}
	for _, tt := range tests {
		if got := arrayContent(tt.values); got != tt.want {
			t.Errorf("arrayContent(%q) = %s, want %s", tt.values, got, tt.want)
		}
		if got := roundTrip(t, tt.values); !slices.Equal(got, tt.values) {
			t.Errorf("%q came back as %q", tt.values, got)
		}
	}
}

func TestCheckArrayValue(t *testing.T) {
	for _, ok := range []string{"", "plain", `a\b`, `\"`, "tab\t", "\U0001F600"} {
		if why := checkArrayValue(ok); why != "" {
			t.Errorf("checkArrayValue(%q) refuses: %s", ok, why)
		}
	}
	for _, bad := range []string{`a\`, "\x00", "\x1f", "\uFFFE", "\xff", "a\xc3"} {
		if checkArrayValue(bad) == "" {
			t.Errorf("checkArrayValue(%q) accepts", bad)
		}
	}
}

// FuzzArrayContent checks that every value Export accepts comes back intact
// through XML and array parsing.
func FuzzArrayContent(f *testing.F) {
	for _, s := range []string{"", "own", "with parents", `say "hi"`, `\"`, `"`, "a & b", "]]>", "\r\n", `x\y`} {
		f.Add(s, "next")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if checkArrayValue(a) != "" || checkArrayValue(b) != "" {
			t.Skip()
		}
		values := []string{a, b}
		if got := roundTrip(t, values); !slices.Equal(got, values) {
			t.Errorf("%q came back as %q", values, got)
		}
	})
}
