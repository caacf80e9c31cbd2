package policy

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
)

func TestCheckPurposePermissible(t *testing.T) {
	want := []string{"credit_application", "account_review", "rental_deposit_waiver", "subject_self_access"}
	if got := PermissiblePurposes(); !reflect.DeepEqual(got, want) {
		t.Fatalf("PermissiblePurposes() = %q, want %q", got, want)
	}
	for _, p := range want {
		if err := CheckPurpose(p); err != nil {
			t.Errorf("CheckPurpose(%q) = %v, want nil", p, err)
		}
	}
	// The caller may not change the list through the returned slice.
	PermissiblePurposes()[0] = "employment"
	if CheckPurpose("employment") == nil {
		t.Fatal("PermissiblePurposes returned the package's own slice")
	}
}

func TestCheckPurposeRefused(t *testing.T) {
	for _, tc := range []struct {
		purpose string
		says    string // the specific sentence, or part of it
	}{
		{"employment", "may not be used for employment screening"},
		{"Employment Screening", "may not be used for employment screening"},
		{"hiring", "may not be used for employment screening"},
		{"public_services", "public services"},
		{"welfare", "public services"},
		{"travel", "travel"},
		{"education", "educational decision"},
		{"university", "educational decision"},
		{"telecom", "telecom or internet service"},
		{"internet_speed", "internet speed"},
		{"insurance", "insurance"},
		{"housing_allocation", "allocate housing"},
		{"immigration", "immigration"},
		{"dating", "dating"},
		{"furnishing", "not for reading their score"},
		{"tenant_screening", "not a permissible purpose"},
		{"marketing", "not a permissible purpose"},
		{"", "no purpose was given"},
		{"Credit_Application", `nearest to it is "credit_application"`},
		{" account_review", `nearest to it is "account_review"`},
		{"<script>", "not a permissible purpose"},
	} {
		err := CheckPurpose(tc.purpose)
		if code := opencredit.ErrorCode(err); code != opencredit.EREFUSED {
			t.Errorf("CheckPurpose(%q): code %q (%v), want %q", tc.purpose, code, err, opencredit.EREFUSED)
			continue
		}
		var e *opencredit.Error
		if !errors.As(err, &e) {
			t.Fatalf("CheckPurpose(%q) returned %T, want *opencredit.Error", tc.purpose, err)
		}
		msg := e.Message
		for _, want := range []string{
			tc.says,
			"refused purpose " + quotePurpose(tc.purpose),
			"FCRA §604",
			"EU AI Act Art. 5(1)(c)",
			"Permissible purposes: credit_application, account_review, rental_deposit_waiver, subject_self_access",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("CheckPurpose(%q) message lacks %q:\n%s", tc.purpose, want, msg)
			}
		}
	}
}

// Every named refused purpose has its own sentence, not the generic one.
func TestRefusedPurposesAreSpecific(t *testing.T) {
	for _, p := range RefusedPurposes() {
		if s := refusalSentence(p); strings.Contains(s, "not a permissible purpose") {
			t.Errorf("%s: generic refusal %q", p, s)
		}
		if Permissible(p) {
			t.Errorf("%s is both refused and permissible", p)
		}
	}
	for alias, p := range purposeAliases {
		if _, ok := refusedPurposes[p]; !ok {
			t.Errorf("alias %q points to %q, which is not a refused purpose", alias, p)
		}
	}
}

// A refusal echoes at most maxQuoted characters of what the caller sent.
func TestCheckPurposeLongInput(t *testing.T) {
	err := CheckPurpose(strings.Repeat("x", 10000))
	if n := len(err.Error()); n > 1000 {
		t.Fatalf("refusal of a 10,000-byte purpose is %d bytes long", n)
	}
	if !strings.Contains(err.Error(), strings.Repeat("x", maxQuoted)+`"…`) {
		t.Fatalf("long purpose not truncated with an ellipsis: %s", err)
	}
}
